import SQLite from 'better-sqlite3';
const d = new SQLite(process.argv[2]!, { readonly: true });
const f = d.prepare("select id, definition from field_definitions where code = 'BENCH_SEGMENT'").get() as { id: number; definition: string };
const e = (JSON.parse(f.definition).enums[1]).id;
const st = d.prepare("select pipeline_id, status_id from records where id = 5").get() as { pipeline_id: number; status_id: number };
const q = `select * from "records" where ("account_id" = ? and "entity_type" = ? and "is_deleted" = ? and (("pipeline_id" = ? and "status_id" = ?)) and exists (select 1 as "one" from "field_index" as "fi" where "fi"."account_id" = ? and "fi"."field_id" = ? and "fi"."record_id" = "records"."id" and ("fi"."text_value" in (?) or "fi"."enum_id" in (?) or "fi"."number_value" in (?)))) order by "id" asc limit ? offset ?`;
const params = [1, 'leads', 0, st.pipeline_id, st.status_id, 1, f.id, String(e), e, e, 251, 0];
console.log(d.prepare('explain query plan ' + q).all(...params).map((r: any) => r.detail));
let t = performance.now(); const rows = d.prepare(q).all(...params); console.log(rows.length, 'rows', (performance.now() - t).toFixed(1), 'ms');
