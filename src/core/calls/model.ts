/**
 * A call: a record of entity type `calls` whose own properties (numbers, times, recording) live in
 * the record's `attributes`. Its public id is a UUID, kept both in the attributes and as the
 * record's name, so that the store's name filter finds a call by it.
 */
import type { CrmRecord } from '../records/model.js';

export const CALL_DIRECTIONS = ['unknown', 'outbound', 'inbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** A call's own properties; times are unix seconds. */
export interface CallProperties {
  callId: string;
  direction: CallDirection;
  fromNumber: string;
  toNumber: string;
  setupTime: number;
  connectTime: number | null;
  disconnectTime: number | null;
  /** Talk time in seconds. */
  duration: number | null;
  /** Where the recording can be fetched. */
  recordingUrl: string | null;
  /** The recorder's state of the call, as the recorder numbers it (1 initiated … 6 disconnected, 7 hold, 8 transferred). */
  state: number | null;
  /** The call this one continues, in a chain of holds and resumes. */
  parentCallId: string | null;
  interactionId: string | null;
  /** The signalling protocol's own id of the call, such as a SIP Call-ID. */
  protocolCallId: string | null;
  isConference: boolean | null;
  /** The recording server's id. */
  recorderId: string | null;
}

/** A call as readers see it: the record, its properties and the contact and lead it is linked to. */
export interface CallView {
  record: CrmRecord;
  properties: CallProperties;
  contactId: number | null;
  leadId: number | null;
}

/** The properties stored on a call record; attributes are JSON from the store, so each one is checked. */
export function callPropertiesOf(record: CrmRecord): CallProperties {
  const attributes = record.attributes;
  const text = (key: string): string | null => (typeof attributes[key] === 'string' ? attributes[key] : null);
  const number = (key: string): number | null => (typeof attributes[key] === 'number' ? attributes[key] : null);
  const flag = (key: string): boolean | null => (typeof attributes[key] === 'boolean' ? attributes[key] : null);
  const direction = CALL_DIRECTIONS.find((known) => known === attributes.direction) ?? 'unknown';
  return {
    callId: text('callId') ?? record.name,
    direction,
    fromNumber: text('fromNumber') ?? '',
    toNumber: text('toNumber') ?? '',
    setupTime: number('setupTime') ?? record.createdAt,
    connectTime: number('connectTime'),
    disconnectTime: number('disconnectTime'),
    duration: number('duration'),
    recordingUrl: text('recordingUrl'),
    state: number('state'),
    parentCallId: text('parentCallId'),
    interactionId: text('interactionId'),
    protocolCallId: text('protocolCallId'),
    isConference: flag('isConference'),
    recorderId: text('recorderId'),
  };
}
