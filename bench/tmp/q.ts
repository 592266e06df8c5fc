import SQLite from 'better-sqlite3';
const d = new SQLite(process.argv[2]!);
console.log(d.prepare("select name, tbl_name from sqlite_master where type='index'").all());
console.log(d.prepare("select count(*) n from records").get(), d.prepare("select count(*) n from field_index").get(), d.prepare("select count(*) n from events").get());
let t = performance.now();
for (let i = 1; i < 2000; i++) d.prepare('select * from records where account_id = 1 and id = ?').get(i);
console.log('2000 gets', performance.now() - t);
