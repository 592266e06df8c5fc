import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the WAL is copied back into the database file. */
const CHECKPOINT_INTERVAL_MS = 500;

/**
 * The worker's code, given inline so that it runs the same from `src/` under a TypeScript loader, from
 * `dist/` and under the test runner. It opens its own connection at its first round (a store opened
 * for a moment never needs one) and checkpoints passively: it copies what it can without waiting for
 * or blocking readers and writers.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
let db = null;
const timer = setInterval(() => {
  try {
    if (db === null) {
      db = new SQLite(workerData.file, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy, or the store is closing: the next round tries again, and until then the commits' own
    // checkpoint (wal_autocheckpoint) bounds the WAL.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db?.close(); } catch {}
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Resolves once the thread has closed its connection: after that it touches no file of the store. */
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of `file` on a thread of its own. A checkpoint writes pages back into the
 * database file and syncs it to disk; left to SQLite's automatic checkpoint, that runs inside
 * whichever commit crosses the threshold, and the request behind that commit waits for the sync.
 */
export function startCheckpointer(file: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // It allocates next to nothing; small heap limits keep its share of the process's memory small too.
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: CHECKPOINT_INTERVAL_MS },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2, codeRangeSizeMb: 8 },
  });
  worker.unref();
  // Only loading the driver can fail here; the commits' own checkpoint then still bounds the WAL.
  worker.once('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop() {
      // Held while it stops: an unreferenced thread alone would let the process end before the close resolves.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
