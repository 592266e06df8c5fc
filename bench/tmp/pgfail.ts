import { bulkInsertRecords } from '../../src/store/bulk.js';
import { openStore } from '../../src/store/store.js';
const url = 'postgres://postgres@127.0.0.1:5432/fieldwork_bench_20000';
const store = await openStore({ backend: 'postgres', url });
const [r] = await store.repos.records.getMany(1, 'leads', [5]);
await store.close();
const { id: _i, ...rec } = r!;
const t = setTimeout(() => { console.log('HANG'); process.exit(2); }, 10000);
try { await bulkInsertRecords({ backend: 'postgres', url }, 1, [rec, { ...rec, name: null as unknown as string }], { rebuildIndexes: false }); } catch (e) { console.log('rejected', (e as Error).message); }
clearTimeout(t);
