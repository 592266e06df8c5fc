/** Calls in MiaRec's wire form: reading `{"call": {...}}` bodies and writing call objects. */
import { CALL_DIRECTIONS, type CallView } from '../../core/calls/model.js';
import type { CallValueEntry, NewCall } from '../../core/calls/service.js';
import type { ErrorItem } from '../../core/errors.js';
import { isPlainObject, issue } from '../../core/fields/issues.js';
import type { FieldDefinition, ValueItem } from '../../core/fields/model.js';
import { invalidRequest } from './errors.js';
import { formatMiarecTime, parseMiarecTime } from './time.js';

type Json = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NUMBER_LENGTH = 64;
const MAX_ID_LENGTH = 255;
/** MiaRec's call states run from 1 (initiated); later versions add more after 8 (transferred). */
const MAX_CALL_STATE = 99;
/** What a new call may carry: what Fieldwork keeps, and the links it works out itself (read-only). */
const NEW_CALL_KEYS = new Set([
  'call_id', 'protocol_call_direction', 'from_number', 'to_number', 'setup_time', 'connect_time', 'disconnect_time', 'duration',
  'recording_url', 'user_id', 'custom_fields', 'call_state', 'parent_call_id', 'interaction_id', 'protocol_call_id', 'is_conference',
  'recorder_id', 'contact_id', 'lead_id',
]);
const INVALID_TIME = 'This value should be a time such as 2014-06-10T13:45:51+0800.';

/** The object under `call`; anything else is refused. */
export function callObject(body: unknown): Json {
  if (!isPlainObject(body) || body.call === undefined) throw invalidRequest([issue.fieldMissing('call')]);
  if (!isPlainObject(body.call)) throw invalidRequest([issue.invalidType('call', 'object')]);
  return body.call;
}

/**
 * A call's `custom_fields` entries. A field is named by `field_id` (its uuid) or `name`, and
 * `field_id` wins when both are given; `null` or `""` clears the value.
 */
export function decodeValueEntries(raw: unknown, errors: ErrorItem[]): CallValueEntry[] {
  if (!Array.isArray(raw)) {
    errors.push(issue.invalidType('custom_fields', 'array'));
    return [];
  }
  return raw.flatMap((entry: unknown, index): CallValueEntry[] => {
    const path = `custom_fields.${index}`;
    if (!isPlainObject(entry)) {
      errors.push(issue.invalidType(path, 'object'));
      return [];
    }
    const { field_id: fieldId, name, value } = entry;
    const entryErrors: ErrorItem[] = [];
    if (fieldId !== undefined && fieldId !== null && typeof fieldId !== 'string') entryErrors.push(issue.invalidType(`${path}.field_id`, 'string'));
    if (name !== undefined && name !== null && typeof name !== 'string') entryErrors.push(issue.invalidType(`${path}.name`, 'string'));
    if (value === undefined) entryErrors.push(issue.fieldMissing(`${path}.value`));
    else if (value !== null && typeof value !== 'string' && typeof value !== 'number') entryErrors.push(issue.invalidType(`${path}.value`, 'string'));
    errors.push(...entryErrors);
    if (entryErrors.length > 0) return [];
    const values = value === null || value === '' ? null : [{ value }];
    if (typeof fieldId === 'string') return [{ fieldUuid: fieldId, values }];
    return [typeof name === 'string' ? { fieldName: name, values } : { values }];
  });
}

/** The call of a POST body; `call_id` is generated and `setup_time` is now when absent. */
export function decodeNewCall(call: Json, now: number): NewCall {
  const errors: ErrorItem[] = [];
  const text = (key: string, required: boolean, maxLength: number): string | null => {
    const raw = call[key];
    if (raw === undefined || raw === null) {
      if (required) errors.push(issue.fieldMissing(key));
      return null;
    }
    if (typeof raw !== 'string') errors.push(issue.invalidType(key, 'string'));
    else if (required && raw.trim() === '') errors.push(issue.notBlank(key));
    else if ([...raw].length > maxLength) errors.push(issue.tooLong(key, maxLength));
    else return raw;
    return null;
  };
  const time = (key: string): number | null => {
    const raw = call[key];
    if (raw === undefined || raw === null) return null;
    const seconds = typeof raw === 'string' ? parseMiarecTime(raw) : null;
    if (seconds === null) errors.push(issue.invalidValue(key, INVALID_TIME));
    return seconds;
  };
  const integer = (key: string, min: number, max: number): number | null => {
    const raw = call[key];
    if (raw === undefined || raw === null) return null;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value)) errors.push(issue.invalidType(key, 'int'));
    else if (value < min || value > max) errors.push(issue.outOfRange(key, min, max));
    else return value;
    return null;
  };

  const flag = (key: string): boolean | null => {
    const raw = call[key];
    if (raw === undefined || raw === null) return null;
    if (typeof raw !== 'boolean') errors.push(issue.invalidType(key, 'bool'));
    return typeof raw === 'boolean' ? raw : null;
  };
  // A key Fieldwork would not keep is refused, not dropped: what a recorder sends must not vanish.
  for (const key of Object.keys(call)) if (!NEW_CALL_KEYS.has(key)) errors.push(issue.fieldNotExpected(key));

  const callId = text('call_id', false, 36);
  if (callId !== null && !UUID.test(callId)) errors.push(issue.invalidValue('call_id', 'This value should be a UUID.'));
  const fromNumber = text('from_number', true, MAX_NUMBER_LENGTH);
  const toNumber = text('to_number', true, MAX_NUMBER_LENGTH);
  const recordingUrl = text('recording_url', false, 2048);
  const setupTime = time('setup_time') ?? now;
  const connectTime = time('connect_time');
  const disconnectTime = time('disconnect_time');
  const direction = integer('protocol_call_direction', 0, CALL_DIRECTIONS.length - 1);
  const givenDuration = integer('duration', 0, Number.MAX_SAFE_INTEGER);
  const userId = integer('user_id', 1, Number.MAX_SAFE_INTEGER);
  const state = integer('call_state', 0, MAX_CALL_STATE);
  const parentCallId = text('parent_call_id', false, MAX_ID_LENGTH);
  const interactionId = text('interaction_id', false, MAX_ID_LENGTH);
  const protocolCallId = text('protocol_call_id', false, MAX_ID_LENGTH);
  const isConference = flag('is_conference');
  const recorderId = text('recorder_id', false, MAX_ID_LENGTH);
  const values = call.custom_fields === undefined ? undefined : decodeValueEntries(call.custom_fields, errors);
  if (errors.length > 0) throw invalidRequest(errors);

  const measured = connectTime !== null && disconnectTime !== null ? Math.max(0, disconnectTime - connectTime) : null;
  return {
    ...(callId === null ? {} : { callId: callId.toLowerCase() }),
    direction: CALL_DIRECTIONS[direction ?? 0]!,
    fromNumber: fromNumber!,
    toNumber: toNumber!,
    setupTime,
    connectTime,
    disconnectTime,
    duration: givenDuration ?? measured,
    recordingUrl,
    state,
    parentCallId,
    interactionId,
    protocolCallId,
    isConference,
    recorderId,
    ...(userId === null ? {} : { userId }),
    ...(values === undefined ? {} : { values }),
  };
}

/** A call as MiaRec shows it, with every call field in display order and `null` where it has no value. */
export function renderCall(view: CallView, definitions: readonly FieldDefinition[], timeZone: string): Json {
  const { properties, record } = view;
  const time = (seconds: number | null) => (seconds === null ? null : formatMiarecTime(seconds, timeZone));
  const stored = new Map(record.customFields.map((value) => [value.field_id, value.values]));
  return {
    call_id: properties.callId,
    protocol_call_direction: CALL_DIRECTIONS.indexOf(properties.direction),
    from_number: properties.fromNumber,
    to_number: properties.toNumber,
    setup_time: time(properties.setupTime),
    connect_time: time(properties.connectTime),
    disconnect_time: time(properties.disconnectTime),
    duration: properties.duration,
    recording_url: properties.recordingUrl,
    call_state: properties.state,
    parent_call_id: properties.parentCallId,
    interaction_id: properties.interactionId,
    protocol_call_id: properties.protocolCallId,
    is_conference: properties.isConference,
    recorder_id: properties.recorderId,
    user_id: String(record.responsibleUserId),
    contact_id: view.contactId,
    lead_id: view.leadId,
    custom_fields: definitions.map((definition) => ({
      field_id: definition.uuid,
      name: definition.name,
      value: wireValue(stored.get(definition.id) ?? null),
    })),
  };
}

/** One value as text; the engine's several items of a multi-valued field are joined. */
function wireValue(items: readonly ValueItem[] | null): string | number | boolean | null {
  if (items === null || items.length === 0) return null;
  const scalars = items.map((item) => (typeof item.value === 'object' ? JSON.stringify(item.value) : (item.value ?? null)));
  return scalars.length === 1 ? scalars[0]! : scalars.join(', ');
}
