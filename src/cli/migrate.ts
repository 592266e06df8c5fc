import type { Config } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../store/database.js';

export async function migrateCommand(config: Config, print: (line: string) => void): Promise<void> {
  const open = await openDatabase(config.store);
  try {
    const applied = await migrateToLatest(open);
    print(applied.length > 0 ? `Applied ${applied.join(', ')} to ${open.describe}` : `${open.describe} is up to date`);
  } finally {
    await open.close();
  }
}
