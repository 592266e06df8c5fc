import { prepare } from '../prepare.js';
const backend = process.argv[2] as 'sqlite' | 'postgres';
const n = Number(process.argv[3]);
const p = await prepare(backend, n, (l) => console.log(l));
console.log(JSON.stringify({ seeded: p.seeded, marker: p.marker, resetMs: p.resetMs, stages: p.stages.length }, null, 1));
