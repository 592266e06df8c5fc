import SQLite from 'better-sqlite3';
const d = new SQLite('/tmp/bv/fieldwork.sqlite');
d.pragma('cache_size = -262144'); d.pragma('temp_store = MEMORY'); d.pragma(`threads = ${process.argv[2] ?? 2}`);
const idx = d.prepare("select name, sql from sqlite_master where type='index' and sql is not null and tbl_name in ('records','field_index')").all() as {name:string;sql:string}[];
for (const i of idx) { d.exec(`drop index ${i.name}`); const t = performance.now(); d.exec(i.sql); console.log(i.name, (performance.now()-t).toFixed(0)); }
