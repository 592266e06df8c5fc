import { openStore } from '../../src/store/store.js';
import { readShape, leads } from '../dataset.js';
import { recordCells } from '../../src/store/bulk.js';
import { indexTerms } from '../../src/core/fields/indexing.js';
import { FieldCatalog } from '../../src/core/fields/catalog.js';
const store = await openStore({ backend: 'sqlite', dataDir: 'bench/.cache/sqlite-20000' });
const shape = await readShape(store); await store.close();
const catalog = FieldCatalog.of(Object.values(shape.fields));
let t = performance.now(); let n = 0;
for (const r of leads(shape, 100000)) { n += r.customFields.length; }
console.log('generate', performance.now() - t); t = performance.now();
let c = 0;
for (const r of leads(shape, 100000)) { c += recordCells(1, 1, r).length; }
console.log('gen+cells', performance.now() - t); t = performance.now();
for (const r of leads(shape, 100000)) { c += indexTerms(catalog, r.customFields).length; }
console.log('gen+terms', performance.now() - t); t = performance.now();
