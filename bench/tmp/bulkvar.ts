import { rmSync, cpSync } from 'node:fs';
import { openStore } from '../../src/store/store.js';
import { readShape, leads } from '../dataset.js';
import { bulkInsertRecords } from '../../src/store/bulk.js';
import SQLite from 'better-sqlite3';
const n = Number(process.argv[2]); const rebuild = process.argv[3] === '1';
rmSync('/tmp/bv', { recursive: true, force: true });
// copy the 20000 dataset's schema: make fresh store with fields by copying then deleting records
cpSync('bench/.cache/sqlite-20000', '/tmp/bv', { recursive: true });
const d = new SQLite('/tmp/bv/fieldwork.sqlite'); d.exec('delete from field_index; delete from records; vacuum'); d.close();
const store = await openStore({ backend: 'sqlite', dataDir: '/tmp/bv' });
const shape = await readShape(store); await store.close();
const r = await bulkInsertRecords({ backend: 'sqlite', dataDir: '/tmp/bv' }, 1, leads(shape, n), { rebuildIndexes: rebuild });
console.log(JSON.stringify(r));
