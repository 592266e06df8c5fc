import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../src/core/fields/catalog.js';
import type { FieldValue } from '../../../src/core/fields/model.js';
import { requiredForStage, requiredOnCreate, requiredOnUpdate } from '../../../src/core/fields/required.js';
import { applyValuePatch } from '../../../src/core/fields/values.js';
import { definition } from './fixtures.js';

const STAGE = { pipelineId: 7, statusId: 142 };
const budget = definition({ id: 123, name: 'Budget', type: 'numeric', isRequired: true });
const note = definition({ id: 124, name: 'Note', type: 'text' });
const catalog = FieldCatalog.of([budget, note]);
const filled = (fieldId: number): FieldValue => ({ field_id: fieldId, values: [{ value: '1' }] });

describe('requiredOnCreate', () => {
  it('names each required field the new record leaves empty', () => {
    expect(requiredOnCreate(catalog, 'leads', [filled(124)])).toEqual([
      { code: 'Required', path: 'custom_fields_values', detail: 'Field "Budget" (id 123) is required' },
    ]);
  });

  it('passes when every required field holds a value', () => {
    expect(requiredOnCreate(catalog, 'leads', [filled(123)])).toEqual([]);
  });

  it('ignores required fields of other entity types', () => {
    expect(requiredOnCreate(catalog, 'contacts', [])).toEqual([]);
  });
});

describe('requiredOnUpdate', () => {
  const update = (patch: unknown) =>
    applyValuePatch({ catalog, entityType: 'leads', current: [filled(123)], patch }).entries;

  it('refuses clearing a required field at that entry’s values', () => {
    expect(requiredOnUpdate(catalog, update([{ field_id: 124, values: null }, { field_id: 123, values: null }]))).toEqual([
      { code: 'Required', path: 'custom_fields_values.1.values', detail: 'Field "Budget" (id 123) is required' },
    ]);
  });

  it('passes an update that does not name a required field, even if the record lacks it', () => {
    const entries = applyValuePatch({
      catalog,
      entityType: 'leads',
      current: [],
      patch: [{ field_id: 124, values: [{ value: 'x' }] }],
    }).entries;
    expect(requiredOnUpdate(catalog, entries)).toEqual([]);
  });
});

describe('requiredForStage', () => {
  const gated = { requiredStatuses: [STAGE] };
  const leadField = definition({ id: 1, name: 'Budget', type: 'numeric', ...gated });
  const contactField = definition({ id: 2, name: 'Phone', type: 'text', entityType: 'contacts', ...gated });
  const companyField = definition({ id: 3, name: 'VAT', type: 'text', entityType: 'companies', ...gated });
  const otherStage = definition({ id: 4, name: 'Other', type: 'text', requiredStatuses: [{ pipelineId: 7, statusId: 143 }] });
  const gates = FieldCatalog.of([leadField, contactField, companyField, otherStage]);

  it('names a lead field gated on the stage that the lead leaves empty', () => {
    const errors = requiredForStage({ catalog: gates, stage: STAGE, lead: [], contacts: [[filled(2)]], company: [filled(3)] });
    expect(errors).toEqual([
      {
        code: 'RequiredForStage',
        path: 'status_id',
        detail: 'Field "Budget" (id 1) must be filled on the lead to enter stage 142 of pipeline 7',
      },
    ]);
  });

  it('passes a contact field filled on at least one linked contact', () => {
    const errors = requiredForStage({
      catalog: gates,
      stage: STAGE,
      lead: [filled(1)],
      contacts: [[], [filled(2)]],
      company: [filled(3)],
    });
    expect(errors).toEqual([]);
  });

  it('refuses a contact-gated stage for a lead without contacts', () => {
    const errors = requiredForStage({ catalog: gates, stage: STAGE, lead: [filled(1)], contacts: [], company: [filled(3)] });
    expect(errors).toEqual([
      {
        code: 'RequiredForStage',
        path: 'status_id',
        detail: 'Field "Phone" (id 2) must be filled on a linked contact to enter stage 142 of pipeline 7',
      },
    ]);
  });

  it('refuses a company-gated stage for a lead without a company', () => {
    const errors = requiredForStage({ catalog: gates, stage: STAGE, lead: [filled(1)], contacts: [[filled(2)]], company: null });
    expect(errors.map((error) => error.detail)).toEqual([
      'Field "VAT" (id 3) must be filled on the linked company to enter stage 142 of pipeline 7',
    ]);
  });

  it('ignores gates of other stages and points errors at the given path', () => {
    const errors = requiredForStage({ catalog: gates, stage: { pipelineId: 7, statusId: 143 }, lead: [], contacts: [], company: null, path: 'status' });
    expect(errors).toEqual([
      {
        code: 'RequiredForStage',
        path: 'status',
        detail: 'Field "Other" (id 4) must be filled on the lead to enter stage 143 of pipeline 7',
      },
    ]);
  });
});
