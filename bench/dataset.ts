/**
 * The benchmark's dataset: ten lead fields defined through the engine, and a deterministic generator
 * of leads that hold a value in each of them, in the engine's canonical (stored) form.
 */
import { createDefinition } from '../src/core/fields/definitions.js';
import type { DefinitionDraft } from '../src/core/fields/draft.js';
import type { FieldDefinition, FieldValue, ValueItem } from '../src/core/fields/model.js';
import { idsFrom, stampNewDefinition } from '../src/core/fields/stamp.js';
import { applyValuePatch } from '../src/core/fields/values.js';
import { FieldCatalog } from '../src/core/fields/catalog.js';
import type { Pipeline } from '../src/core/pipelines/model.js';
import type { NewRecord } from '../src/core/records/model.js';
import type { Store } from '../src/core/ports.js';

/** Bumped whenever the generated data changes shape; a cached dataset of another version is re-seeded. */
export const SEED_VERSION = 3;
export const BENCH_TOKEN = 'fieldwork-bench-token-0123456789';
export const ACCOUNT_ID = 1;
const EPOCH = 1_700_000_000;

export const SEGMENTS = ['Enterprise', 'Mid-market', 'SMB', 'Startup', 'Public sector'];
export const CHANNELS = ['Web', 'Referral', 'Partner', 'Cold call', 'Event', 'Email', 'Ads', 'Social'];
const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Paris', 'Berlin', 'Warsaw', 'Prague', 'Vienna', 'Rome', 'Milan', 'Oslo', 'Riga', 'Tallinn', 'Vilnius', 'Dublin', 'Zürich'];

/** Where the leads live and what the workloads address: read back from the store by field code. */
export interface BenchShape {
  pipelineId: number;
  /** The three working stages, in order; the last two are gated on the channel field. */
  stages: [number, number, number];
  userId: number;
  fields: {
    segment: FieldDefinition;
    channel: FieldDefinition;
    website: FieldDefinition;
    score: FieldDefinition;
    budget: FieldDefinition;
    reference: FieldDefinition;
    city: FieldDefinition;
    followUp: FieldDefinition;
    qualified: FieldDefinition;
    notes: FieldDefinition;
  };
}

type FieldKey = keyof BenchShape['fields'];

function drafts(stages: [number, number, number], pipelineId: number): Record<FieldKey, DefinitionDraft> {
  const options = (values: string[], prefix: string) => values.map((value, index) => ({ value, code: `${prefix}${index}`, sort: index + 1 }));
  return {
    segment: { name: 'Segment', type: 'select', code: 'BENCH_SEGMENT', enums: options(SEGMENTS, 'SEG') },
    // The stage gate B1 keeps satisfied: a lead enters the second or third stage only with a channel.
    channel: {
      name: 'Channel',
      type: 'select',
      code: 'BENCH_CHANNEL',
      enums: options(CHANNELS, 'CH'),
      requiredStatuses: [
        { pipelineId, statusId: stages[1] },
        { pipelineId, statusId: stages[2] },
      ],
    },
    website: { name: 'Website', type: 'url', code: 'BENCH_WEBSITE' },
    score: { name: 'Score', type: 'numeric', code: 'BENCH_SCORE' },
    budget: { name: 'Budget', type: 'monetary', code: 'BENCH_BUDGET', currency: 'USD' },
    reference: { name: 'Reference', type: 'text', code: 'BENCH_REFERENCE' },
    city: { name: 'City', type: 'text', code: 'BENCH_CITY' },
    followUp: { name: 'Follow-up', type: 'date', code: 'BENCH_FOLLOW_UP' },
    qualified: { name: 'Qualified', type: 'checkbox', code: 'BENCH_QUALIFIED' },
    notes: { name: 'Notes', type: 'textarea', code: 'BENCH_NOTES' },
  };
}

const FIELD_KEYS: FieldKey[] = ['segment', 'channel', 'website', 'score', 'budget', 'reference', 'city', 'followUp', 'qualified', 'notes'];

function mainStages(pipelines: readonly Pipeline[]): { pipelineId: number; stages: [number, number, number] } {
  const pipeline = pipelines.find((candidate) => candidate.isMain) ?? pipelines[0];
  if (!pipeline) throw new Error('the bench account has no pipeline');
  const working = [...pipeline.statuses]
    .filter((status) => status.type === 0 && status.id !== 142 && status.id !== 143)
    .sort((a, b) => a.sort - b.sort)
    .map((status) => status.id);
  // The first regular stage after "Incoming leads" is where a lead lands by default.
  const [first, second, third] = working;
  if (first === undefined || second === undefined || third === undefined) throw new Error('the main pipeline needs three working stages');
  return { pipelineId: pipeline.id, stages: [first, second, third] };
}

/** Defines the ten fields through the engine, as test/support/fields.ts does. */
export async function defineBenchFields(store: Store): Promise<void> {
  const { pipelineId, stages } = mainStages(await store.repos.pipelines.list(ACCOUNT_ID));
  const now = EPOCH;
  for (const [key, draft] of Object.entries(drafts(stages, pipelineId))) {
    const existing = await store.repos.fields.list(ACCOUNT_ID);
    const optionCount = draft.enums?.length ?? 0;
    const first = await store.repos.sequences.reserve('options', Math.max(optionCount, 1));
    const created = createDefinition(draft, { entityType: 'leads', existing, ids: idsFrom(first, Math.max(optionCount, 1)) });
    if (!created.ok) throw new Error(`bench field ${key} is invalid: ${JSON.stringify(created.errors)}`);
    await store.repos.fields.insert(ACCOUNT_ID, [stampNewDefinition(created.value, now)]);
  }
}

export async function readShape(store: Store): Promise<BenchShape> {
  const { pipelineId, stages } = mainStages(await store.repos.pipelines.list(ACCOUNT_ID));
  const definitions = await store.repos.fields.list(ACCOUNT_ID, 'leads');
  const byCode = (key: FieldKey) => {
    const code = drafts(stages, pipelineId)[key].code;
    const found = definitions.find((definition) => definition.code === code);
    if (!found) throw new Error(`bench field ${code} is missing`);
    return found;
  };
  const fields = Object.fromEntries(FIELD_KEYS.map((key) => [key, byCode(key)])) as BenchShape['fields'];
  const users = await store.repos.users.list(ACCOUNT_ID);
  return { pipelineId, stages, userId: users[0]!.id, fields };
}

/** A well-mixed 32-bit hash of n, so values look random yet every run generates the same data. */
export function mix(n: number): number {
  let x = (n + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function enumItem(definition: FieldDefinition, index: number): ValueItem {
  const option = definition.enums![index]!;
  return { value: option.value, enum_id: option.id, enum_code: option.code };
}

/** The raw `custom_fields_values` a client would send for lead n, and what the engine stores for it. */
export function leadValues(shape: BenchShape, n: number): { wire: unknown[]; stored: FieldValue[] } {
  const { fields } = shape;
  const h = mix(n);
  const segment = h % SEGMENTS.length;
  const channel = (h >>> 4) % CHANNELS.length;
  const score = (h >>> 8) % 1000;
  const budget = `${(h >>> 10) % 100000}.25`;
  const city = CITIES[(h >>> 12) % CITIES.length]!;
  const followUp = EPOCH + ((h >>> 6) % 365) * 86400;
  const qualified = (h & 1) === 1;
  const website = `https://lead-${n}.example.com/`;
  const notes = `Lead ${n} came in by ${CHANNELS[channel]} and asked for a call back.`;
  const wire = [
    { field_id: fields.segment.id, values: [{ enum_id: fields.segment.enums![segment]!.id }] },
    { field_id: fields.channel.id, values: [{ enum_id: fields.channel.enums![channel]!.id }] },
    { field_id: fields.website.id, values: [{ value: website }] },
    { field_id: fields.score.id, values: [{ value: score }] },
    { field_id: fields.budget.id, values: [{ value: budget }] },
    { field_id: fields.reference.id, values: [{ value: `REF-${n}` }] },
    { field_id: fields.city.id, values: [{ value: city }] },
    { field_id: fields.followUp.id, values: [{ value: followUp }] },
    { field_id: fields.qualified.id, values: [{ value: qualified }] },
    { field_id: fields.notes.id, values: [{ value: notes }] },
  ];
  const stored: FieldValue[] = [
    { field_id: fields.segment.id, values: [enumItem(fields.segment, segment)] },
    { field_id: fields.channel.id, values: [enumItem(fields.channel, channel)] },
    { field_id: fields.website.id, values: [{ value: website }] },
    { field_id: fields.score.id, values: [{ value: String(score) }] },
    { field_id: fields.budget.id, values: [{ value: budget }] },
    { field_id: fields.reference.id, values: [{ value: `REF-${n}` }] },
    { field_id: fields.city.id, values: [{ value: city }] },
    { field_id: fields.followUp.id, values: [{ value: followUp }] },
    { field_id: fields.qualified.id, values: [{ value: qualified }] },
    { field_id: fields.notes.id, values: [{ value: notes }] },
  ];
  return { wire, stored };
}

/** Lead n (1-based) of the dataset, as the engine would store it. */
export function leadRecord(shape: BenchShape, n: number): NewRecord {
  const createdAt = EPOCH + n;
  return {
    entityType: 'leads',
    name: `Lead ${n}`,
    firstName: null,
    lastName: null,
    price: mix(n + 7) % 100_000,
    pipelineId: shape.pipelineId,
    statusId: shape.stages[n % 3]!,
    lossReasonId: null,
    responsibleUserId: shape.userId,
    groupId: 0,
    createdBy: shape.userId,
    updatedBy: shape.userId,
    createdAt,
    updatedAt: createdAt,
    closedAt: null,
    closestTaskAt: null,
    isDeleted: false,
    score: null,
    laborCost: null,
    sourceId: null,
    isPriceModifiedByRobot: false,
    customFields: leadValues(shape, n).stored,
    attributes: {},
  };
}

export function* leads(shape: BenchShape, count: number): Generator<NewRecord> {
  for (let n = 1; n <= count; n += 1) yield leadRecord(shape, n);
}

/**
 * Checks that the generator's stored values are what the engine makes of the wire values, so the
 * bulk-seeded leads hold exactly what the write path would have stored.
 */
export function assertCanonical(shape: BenchShape, samples = 200): void {
  const catalog = FieldCatalog.of(Object.values(shape.fields));
  for (let n = 1; n <= samples; n += 1) {
    const { wire, stored } = leadValues(shape, n);
    const result = applyValuePatch({ catalog, entityType: 'leads', current: [], patch: wire });
    if (result.errors.length > 0) throw new Error(`lead ${n}: the engine refuses the generated values: ${JSON.stringify(result.errors)}`);
    if (JSON.stringify(result.next) !== JSON.stringify(stored)) {
      throw new Error(`lead ${n}: generated values differ from the engine's\n${JSON.stringify(stored)}\n${JSON.stringify(result.next)}`);
    }
  }
}
