/** The request generators of B1–B4, over the seeded leads. */
import type { RequestParams } from 'autocannon';
import type { BenchShape } from './dataset.js';
import { CHANNELS, SEGMENTS } from './dataset.js';
import type { Prepared } from './prepare.js';

export const B1_BATCH = 250;
export const B2_LIMIT = 250;
export const B4_BATCH = 50;

/** xorshift32: fast, seeded, good enough to pick ids and options. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/**
 * Which leads the next batch touches: a random permutation walked in slices, so requests in flight
 * never share a lead (no lock waits between them) and every lead is touched before any is touched twice.
 */
export class LeadPicker {
  private readonly order: Int32Array;
  private cursor = 0;

  constructor(count: number, seed: number) {
    const next = random(seed);
    this.order = new Int32Array(count);
    for (let index = 0; index < count; index += 1) this.order[index] = index;
    for (let index = count - 1; index > 0; index -= 1) {
      const other = Math.floor(next() * (index + 1));
      const swap = this.order[index]!;
      this.order[index] = this.order[other]!;
      this.order[other] = swap;
    }
  }

  /** Offsets (id − firstId) of the next `size` leads. */
  take(size: number): number[] {
    const picked: number[] = [];
    for (let index = 0; index < size; index += 1) {
      picked.push(this.order[this.cursor]!);
      this.cursor = (this.cursor + 1) % this.order.length;
    }
    return picked;
  }
}

/** A stage change, which the gate checks on entering the second and third stages, plus three values. */
export interface LeadChange {
  offset: number;
  statusId: number;
  channelOption: number;
  website: string;
  score: number;
}

/** B1's changes: each lead moves on to the next working stage and gets a new channel, website and score. */
export class StageMover {
  private readonly next: () => number;
  private round = 0;

  constructor(
    private readonly shape: BenchShape,
    private readonly stages: Int32Array,
    private readonly picker: LeadPicker,
    seed: number,
  ) {
    this.next = random(seed);
  }

  batch(size: number): LeadChange[] {
    this.round += 1;
    return this.picker.take(size).map((offset) => {
      const current = this.shape.stages.indexOf(this.stages[offset]!);
      const statusId = this.shape.stages[(current + 1) % 3]!;
      this.stages[offset] = statusId;
      return {
        offset,
        statusId,
        channelOption: Math.floor(this.next() * CHANNELS.length),
        website: `https://lead-${offset}.example.org/r${this.round}`,
        score: Math.floor(this.next() * 1000),
      };
    });
  }
}

export function b1Body(prepared: Prepared, changes: readonly LeadChange[]): string {
  const { fields, pipelineId } = prepared.shape;
  return JSON.stringify(
    changes.map((change) => ({
      id: prepared.marker.firstId + change.offset,
      pipeline_id: pipelineId,
      status_id: change.statusId,
      custom_fields_values: [
        { field_id: fields.channel.id, values: [{ enum_id: fields.channel.enums![change.channelOption]!.id }] },
        { field_id: fields.website.id, values: [{ value: change.website }] },
        { field_id: fields.score.id, values: [{ value: change.score }] },
      ],
    })),
  );
}

export function b1Request(prepared: Prepared, mover: StageMover): RequestParams & { setupRequest: (request: RequestParams) => RequestParams } {
  const make = (): RequestParams => ({ method: 'PATCH', path: '/api/v4/leads', body: b1Body(prepared, mover.batch(B1_BATCH)) });
  return { ...make(), setupRequest: (request) => ({ ...request, ...make() }) };
}

export function b2Path(prepared: Prepared, next: () => number): string {
  const { fields, pipelineId, stages } = prepared.shape;
  const option = fields.segment.enums![Math.floor(next() * SEGMENTS.length)]!.id;
  const stage = stages[Math.floor(next() * 3)]!;
  const query = [
    `limit=${B2_LIMIT}`,
    `filter[custom_fields_values][${fields.segment.id}][]=${option}`,
    `filter[statuses][0][pipeline_id]=${pipelineId}`,
    `filter[statuses][0][status_id]=${stage}`,
  ]
    .map((pair) => pair.replace(/\[/g, '%5B').replace(/\]/g, '%5D'))
    .join('&');
  return `/api/v4/leads?${query}`;
}

export function b2Request(prepared: Prepared, seed: number): RequestParams & { setupRequest: (request: RequestParams) => RequestParams } {
  const next = random(seed);
  return { method: 'GET', path: b2Path(prepared, next), setupRequest: (request) => ({ ...request, path: b2Path(prepared, next) }) };
}

export function b3Request(prepared: Prepared, seed: number): RequestParams & { setupRequest: (request: RequestParams) => RequestParams } {
  const next = random(seed);
  const count = prepared.marker.lastId - prepared.marker.firstId + 1;
  const path = () => `/api/v4/leads/${prepared.marker.firstId + Math.floor(next() * count)}`;
  return { method: 'GET', path: path(), setupRequest: (request) => ({ ...request, path: path() }) };
}

/** B4: leads with a new contact (a phone no other contact has) and a new company each. */
export class ComplexBatches {
  private counter = 0;
  private readonly tag = String(Date.now() % 1_000_000).padStart(6, '0');

  constructor(private readonly shape: BenchShape) {}

  body(size: number): string {
    const items = Array.from({ length: size }, () => {
      this.counter += 1;
      const n = this.counter;
      return {
        name: `Complex lead ${this.tag}-${n}`,
        price: 1000 + (n % 500),
        custom_fields_values: [{ field_id: this.shape.fields.segment.id, values: [{ enum_id: this.shape.fields.segment.enums![n % SEGMENTS.length]!.id }] }],
        _embedded: {
          contacts: [
            {
              first_name: 'Contact',
              last_name: `${this.tag}-${n}`,
              custom_fields_values: [{ field_code: 'PHONE', values: [{ value: `+1 ${this.tag} ${String(n).padStart(7, '0')}`, enum_code: 'WORK' }] }],
            },
          ],
          companies: [{ name: `Company ${this.tag}-${n}` }],
        },
      };
    });
    return JSON.stringify(items);
  }
}

export function b4Request(batches: ComplexBatches): RequestParams & { setupRequest: (request: RequestParams) => RequestParams } {
  return {
    method: 'POST',
    path: '/api/v4/leads/complex',
    body: batches.body(B4_BATCH),
    setupRequest: (request) => ({ ...request, body: batches.body(B4_BATCH) }),
  };
}
