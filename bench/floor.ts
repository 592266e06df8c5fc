/**
 * The storage floor of B1: the same row changes — the lead's row, its changed fields' index terms replaced, one
 * status event and three value events per lead — by a bare better-sqlite3 loop with prepared
 * statements and one transaction per 250 leads. No HTTP, no parsing, no validation, no query builder.
 */
import SQLite from 'better-sqlite3';
import { FieldCatalog } from '../src/core/fields/catalog.js';
import { indexTerms } from '../src/core/fields/indexing.js';
import type { FieldValue, ValueItem } from '../src/core/fields/model.js';
import { positioned } from '../src/store/repos/term-rows.js';
import { startCheckpointer } from '../src/store/checkpointer.js';
import { BACKSTOP_CHECKPOINT_PAGES } from '../src/store/database.js';
import { ACCOUNT_ID } from './dataset.js';
import type { Prepared } from './prepare.js';
import { B1_BATCH, LeadPicker, StageMover } from './workloads.js';

export interface FloorResult {
  seconds: number;
  leads: number;
  leadsPerSecond: number;
}

/** `pragmas`: extra settings for the connection, to try what a store setting would change (e.g. 'cache_size = -262144'). */
export function runFloor(prepared: Prepared, seconds: number, pragmas: readonly string[] = []): FloorResult {
  if (!prepared.sqliteFile) throw new Error('the floor loop runs on SQLite only');
  const { shape, marker } = prepared;
  const { fields } = shape;
  const catalog = FieldCatalog.of(Object.values(fields));
  const db = new SQLite(prepared.sqliteFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // The storage as the server runs it: checkpoints on their own thread, a commit's own only far behind.
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const checkpointer = startCheckpointer(prepared.sqliteFile);
  for (const pragma of pragmas) db.pragma(pragma);
  const read = db.prepare('select status_id, pipeline_id, custom_fields from records where account_id = ? and id = ?');
  const update = db.prepare('update records set status_id = ?, pipeline_id = ?, custom_fields = ?, updated_at = ?, updated_by = ? where account_id = ? and id = ?');
  // As the server does: only the changed fields' terms are rewritten.
  const clear = db.prepare('delete from field_index where account_id = ? and record_id = ? and field_id = ?');
  const term = db.prepare(
    'insert into field_index (account_id, record_id, field_id, position, text_value, number_value, enum_id) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const event = db.prepare(
    'insert into events (account_id, type, entity_type, entity_id, created_by, created_at, value_before, value_after) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const valueEvent = (id: number, now: number, fieldId: number, type: string, before: ValueItem[] | undefined, after: ValueItem[]) => {
    const describe = (items: ValueItem[] | undefined) =>
      JSON.stringify((items ?? []).map((item) => ({ custom_field_value: { field_id: fieldId, field_type: type, enum_id: item.enum_id ?? null, text: String(item.value) } })));
    event.run(ACCOUNT_ID, `custom_field_${fieldId}_value_changed`, 'lead', id, shape.userId, now, describe(before), describe(after));
  };

  // Its own walk over the leads, so the floor and B1 do not touch the same leads in the same order.
  const mover = new StageMover(shape, prepared.stages, new LeadPicker(prepared.stages.length, 0x5eed), 0xf100);
  const writeBatch = db.transaction((now: number) => {
    for (const change of mover.batch(B1_BATCH)) {
      const id = marker.firstId + change.offset;
      const row = read.get(ACCOUNT_ID, id) as { status_id: number; pipeline_id: number; custom_fields: string };
      const values = JSON.parse(row.custom_fields) as FieldValue[];
      const option = fields.channel.enums![change.channelOption]!;
      const patch = new Map<number, ValueItem[]>([
        [fields.channel.id, [{ value: option.value, enum_id: option.id, enum_code: option.code }]],
        [fields.website.id, [{ value: change.website }]],
        [fields.score.id, [{ value: String(change.score) }]],
      ]);
      const next = values.map((value) => ({ field_id: value.field_id, values: patch.get(value.field_id) ?? value.values }));
      update.run(change.statusId, shape.pipelineId, JSON.stringify(next), now, shape.userId, ACCOUNT_ID, id);
      for (const fieldId of patch.keys()) clear.run(ACCOUNT_ID, id, fieldId);
      for (const item of positioned(indexTerms(catalog, next.filter((value) => patch.has(value.field_id))))) {
        term.run(ACCOUNT_ID, id, item.fieldId, item.position, item.text, item.number, item.enumId);
      }
      event.run(
        ACCOUNT_ID,
        'lead_status_changed',
        'lead',
        id,
        shape.userId,
        now,
        JSON.stringify([{ lead_status: { id: row.status_id, pipeline_id: row.pipeline_id } }]),
        JSON.stringify([{ lead_status: { id: change.statusId, pipeline_id: shape.pipelineId } }]),
      );
      const before = new Map(values.map((value) => [value.field_id, value.values]));
      for (const [fieldId, after] of patch) valueEvent(id, now, fieldId, catalog.get(fieldId)!.type, before.get(fieldId), after);
    }
  });

  const started = performance.now();
  let leads = 0;
  while (performance.now() - started < seconds * 1000) {
    writeBatch(Math.floor(Date.now() / 1000));
    leads += B1_BATCH;
  }
  const elapsed = (performance.now() - started) / 1000;
  checkpointer.stop();
  db.close();
  return { seconds: elapsed, leads, leadsPerSecond: leads / elapsed };
}
