import { describe, expect, it } from 'vitest';
import {
  assertDeletable,
  createDefinition,
  dropRemovedEnums,
  patchDefinition,
  type DefinitionContext,
} from '../../../src/core/fields/definitions.js';
import type { DefinitionDraft } from '../../../src/core/fields/draft.js';
import type { FieldDefinition } from '../../../src/core/fields/model.js';
import { counter, definition } from './fixtures.js';

const context = (overrides: Partial<DefinitionContext> = {}): DefinitionContext => ({
  entityType: 'leads',
  existing: [],
  ids: counter(),
  ...overrides,
});

function errorsOfCreate(draft: DefinitionDraft, overrides: Partial<DefinitionContext> = {}) {
  const created = createDefinition(draft, context(overrides));
  return created.ok ? [] : created.errors;
}

function created(draft: DefinitionDraft, overrides: Partial<DefinitionContext> = {}) {
  const result = createDefinition(draft, context(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('createDefinition', () => {
  it('fills defaults for a minimal text field', () => {
    expect(created({ name: 'Source', type: 'text' })).toEqual({
      entityType: 'leads',
      name: 'Source',
      code: null,
      type: 'text',
      sort: 500,
      groupId: null,
      description: null,
      isApiOnly: false,
      isEditable: true,
      isRequired: false,
      isPredefined: false,
      isDeletable: true,
      requiredStatuses: [],
      hiddenStatuses: [],
      enums: null,
      nested: null,
      remind: null,
      currency: null,
      chainedLists: null,
      trackingCallback: null,
      searchIn: null,
      settings: {},
      externalId: null,
    });
  });

  it('refuses a draft without a name', () => {
    expect(errorsOfCreate({ type: 'text' })).toEqual([{ code: 'FieldMissing', path: 'name', detail: 'This field is missing.' }]);
  });

  it('refuses a blank name', () => {
    expect(errorsOfCreate({ name: ' ', type: 'text' })).toEqual([
      { code: 'NotBlank', path: 'name', detail: 'This value should not be blank.' },
    ]);
  });

  it('refuses a draft without a type', () => {
    expect(errorsOfCreate({ name: 'X' })).toEqual([{ code: 'FieldMissing', path: 'type', detail: 'This field is missing.' }]);
  });

  it('refuses an unknown type', () => {
    expect(errorsOfCreate({ name: 'X', type: 'org_legal_name' })).toEqual([
      { code: 'NotSupportedChoice', path: 'type', detail: 'The value you selected is not a valid choice.' },
    ]);
  });

  it('refuses a select without enums as FieldMissing', () => {
    expect(errorsOfCreate({ name: 'X', type: 'select' })).toEqual([
      { code: 'FieldMissing', path: 'enums', detail: 'This field is missing.' },
    ]);
  });

  it('refuses a multiselect with an empty enum list as TooFew', () => {
    expect(errorsOfCreate({ name: 'X', type: 'multiselect', enums: [] })).toEqual([
      { code: 'TooFew', path: 'enums', detail: 'This collection should contain 1 element or more.' },
    ]);
  });

  it('refuses enums on a type that takes none', () => {
    expect(errorsOfCreate({ name: 'X', type: 'text', enums: [{ value: 'a' }] })).toEqual([
      { code: 'FieldNotExpected', path: 'enums', detail: 'This field was not expected.' },
    ]);
  });

  it('refuses a monetary field without currency', () => {
    expect(errorsOfCreate({ name: 'Amount', type: 'monetary' })).toEqual([
      { code: 'FieldMissing', path: 'currency', detail: 'This field is missing.' },
    ]);
  });

  it('refuses a currency that is not three upper-case letters', () => {
    expect(errorsOfCreate({ name: 'Amount', type: 'monetary', currency: 'usd' })).toEqual([
      { code: 'InvalidValue', path: 'currency', detail: 'This value is not a valid currency.' },
    ]);
  });

  it('refuses currency on a type other than monetary', () => {
    expect(errorsOfCreate({ name: 'X', type: 'numeric', currency: 'USD' })).toEqual([
      { code: 'FieldNotExpected', path: 'currency', detail: 'This field was not expected.' },
    ]);
  });

  it('keeps remind on a birthday and refuses an unknown remind', () => {
    expect(created({ name: 'DOB', type: 'birthday', remind: 'day' }).remind).toBe('day');
    expect(errorsOfCreate({ name: 'DOB', type: 'birthday', remind: 'yearly' })).toEqual([
      { code: 'NotSupportedChoice', path: 'remind', detail: 'The value you selected is not a valid choice.' },
    ]);
  });

  it('refuses remind on a type other than birthday', () => {
    expect(errorsOfCreate({ name: 'X', type: 'date', remind: 'day' })[0]).toMatchObject({ code: 'FieldNotExpected', path: 'remind' });
  });

  it('refuses a code already used by a field of the same entity type', () => {
    const existing = [definition({ id: 5, type: 'text', code: 'SOURCE' })];
    expect(errorsOfCreate({ name: 'X', type: 'text', code: 'SOURCE' }, { existing })).toEqual([
      { code: 'Duplicate', path: 'code', detail: 'A field with this code already exists.' },
    ]);
  });

  it('accepts a code used only by a field of another entity type', () => {
    const existing = [definition({ id: 5, type: 'text', code: 'SOURCE', entityType: 'contacts' })];
    expect(errorsOfCreate({ name: 'X', type: 'text', code: 'SOURCE' }, { existing })).toEqual([]);
  });

  it('refuses a code with characters other than letters, digits and underscores', () => {
    expect(errorsOfCreate({ name: 'X', type: 'text', code: 'utm source' })[0]).toMatchObject({ code: 'InvalidValue', path: 'code' });
  });

  it('gives new enums fresh ids and their position as sort', () => {
    const field = created({ name: 'Kind', type: 'select', enums: [{ value: 'New' }, { value: 'Old', sort: 9, code: 'OLD' }] });
    expect(field.enums).toEqual([
      { id: 1000, value: 'New', sort: 1, code: null },
      { id: 1001, value: 'Old', sort: 9, code: 'OLD' },
    ]);
  });

  it('refuses two enums with the same value at the later one', () => {
    expect(errorsOfCreate({ name: 'K', type: 'select', enums: [{ value: 'A' }, { value: 'A' }] })).toEqual([
      { code: 'Duplicate', path: 'enums.1.value', detail: 'An option with this value already exists.' },
    ]);
  });

  it('refuses an enum id the field does not have', () => {
    expect(errorsOfCreate({ name: 'K', type: 'select', enums: [{ id: 5, value: 'A' }] })).toEqual([
      { code: 'NotSupportedChoice', path: 'enums.0.id', detail: 'The value you selected is not a valid choice.' },
    ]);
  });

  it('draws no ids when the draft is refused', () => {
    const ids = counter();
    createDefinition({ type: 'select', enums: [{ value: 'A' }] }, context({ ids }));
    expect(ids.next()).toBe(1000);
  });

  it('refuses stage gates on an entity type without stages', () => {
    expect(
      errorsOfCreate({ name: 'X', type: 'text', requiredStatuses: [{ pipelineId: 1, statusId: 2 }] }, { entityType: 'calls' }),
    ).toEqual([{ code: 'FieldNotExpected', path: 'required_statuses', detail: 'This field was not expected.' }]);
  });

  it('refuses a stage gate with a non-positive status id', () => {
    expect(errorsOfCreate({ name: 'X', type: 'text', requiredStatuses: [{ pipelineId: 1, statusId: 0 }] })).toEqual([
      { code: 'InvalidType', path: 'required_statuses.0.status_id', detail: 'This value should be of type int.' },
    ]);
  });

  it('refuses a setting the type does not honour', () => {
    expect(errorsOfCreate({ name: 'X', type: 'checkbox', settings: { maxLength: 10 } })).toEqual([
      { code: 'FieldNotExpected', path: 'settings.max_length', detail: 'This field was not expected.' },
    ]);
  });

  it('keeps whole_numbers on a numeric field', () => {
    expect(created({ name: 'Seats', type: 'numeric', settings: { wholeNumbers: true } }).settings).toEqual({ wholeNumbers: true });
  });

  it('refuses whole_numbers on a type that is not numeric', () => {
    expect(errorsOfCreate({ name: 'X', type: 'price', settings: { wholeNumbers: true } })).toEqual([
      { code: 'FieldNotExpected', path: 'settings.whole_numbers', detail: 'This field was not expected.' },
    ]);
  });

  it('refuses a whole_numbers that is not a boolean', () => {
    expect(errorsOfCreate({ name: 'X', type: 'numeric', settings: { wholeNumbers: 1 as unknown as boolean } })).toEqual([
      { code: 'InvalidType', path: 'settings.whole_numbers', detail: 'This value should be of type bool.' },
    ]);
  });

  it('refuses chained lists whose parent does not come earlier', () => {
    const chainedLists = [{ catalogId: 2, parentCatalogId: 1, title: 'Model' }];
    expect(errorsOfCreate({ name: 'Auto', type: 'chained_list', chainedLists })).toEqual([
      {
        code: 'NotSupportedChoice',
        path: 'chained_lists.0.parent_catalog_id',
        detail: 'The value you selected is not a valid choice.',
      },
    ]);
  });
});

describe('createDefinition category trees', () => {
  it('creates a tree in one request through request ids', () => {
    const field = created({
      name: 'Category',
      type: 'category',
      nested: [
        { value: 'Root', requestId: 'root1' },
        { value: 'Child', parentRequestId: 'root1', requestId: 'child1' },
        { value: 'Grandchild', parentRequestId: 'child1' },
      ],
    });
    expect(field.nested).toEqual([
      { id: 1000, parentId: null, value: 'Root', sort: 1 },
      { id: 1001, parentId: 1000, value: 'Child', sort: 2 },
      { id: 1002, parentId: 1001, value: 'Grandchild', sort: 3 },
    ]);
  });

  it('refuses a parent request id no option carries', () => {
    expect(
      errorsOfCreate({ name: 'C', type: 'category', nested: [{ value: 'A' }, { value: 'B', parentRequestId: 'nope' }] }),
    ).toEqual([
      {
        code: 'NotSupportedChoice',
        path: 'nested.1.parent_request_id',
        detail: 'The value you selected is not a valid choice.',
      },
    ]);
  });

  it('refuses options that are each other’s parents', () => {
    const errors = errorsOfCreate({
      name: 'C',
      type: 'category',
      nested: [
        { value: 'A', requestId: 'a', parentRequestId: 'b' },
        { value: 'B', requestId: 'b', parentRequestId: 'a' },
      ],
    });
    expect(errors.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: 'InvalidValue', path: 'nested.0.parent_request_id' },
      { code: 'InvalidValue', path: 'nested.1.parent_request_id' },
    ]);
  });

  it('allows the same text under different parents but not twice under one parent', () => {
    const nested = [
      { value: 'Hardware', requestId: 'h' },
      { value: 'Other', parentRequestId: 'h' },
      { value: 'Other' },
      { value: 'Other', parentRequestId: 'h' },
    ];
    expect(errorsOfCreate({ name: 'C', type: 'category', nested })).toEqual([
      { code: 'Duplicate', path: 'nested.3.value', detail: 'An option with this value already exists under the same parent.' },
    ]);
  });
});

describe('patchDefinition', () => {
  const select: FieldDefinition = definition({
    id: 9,
    type: 'select',
    name: 'Kind',
    code: 'KIND',
    enums: [
      { id: 1, value: 'New', sort: 1, code: null },
      { id: 2, value: 'Old', sort: 2, code: 'OLD' },
      { id: 3, value: 'Lost', sort: 3, code: null },
    ],
  });
  const patchContext = { existing: [select], ids: counter(50) };

  it('refuses changing the type', () => {
    expect(patchDefinition(select, { type: 'multiselect' }, patchContext)).toEqual({
      ok: false,
      errors: [{ code: 'Immutable', path: 'type', detail: 'This value cannot be changed.' }],
    });
  });

  it('refuses turning whole_numbers on once the field exists, since stored values may have fractions', () => {
    const amount = definition({ id: 10, type: 'numeric', name: 'Amount' });
    expect(patchDefinition(amount, { settings: { wholeNumbers: true } }, { existing: [amount], ids: counter(50) })).toEqual({
      ok: false,
      errors: [{ code: 'Immutable', path: 'settings.whole_numbers', detail: 'This value cannot be changed.' }],
    });
  });

  it('refuses dropping whole_numbers from a field that has it', () => {
    const seats = definition({ id: 11, type: 'numeric', name: 'Seats', settings: { wholeNumbers: true } });
    expect(patchDefinition(seats, { settings: {} }, { existing: [seats], ids: counter(50) })).toEqual({
      ok: false,
      errors: [{ code: 'Immutable', path: 'settings.whole_numbers', detail: 'This value cannot be changed.' }],
    });
  });

  it('keeps user_ids on a numeric field', () => {
    expect(created({ name: 'Account manager', type: 'numeric', settings: { userIds: true } }).settings).toEqual({ userIds: true });
  });

  it('refuses turning user_ids on once the field exists, since stored numbers may name no user', () => {
    const amount = definition({ id: 13, type: 'numeric', name: 'Amount' });
    expect(patchDefinition(amount, { settings: { userIds: true } }, { existing: [amount], ids: counter(50) })).toEqual({
      ok: false,
      errors: [{ code: 'Immutable', path: 'settings.user_ids', detail: 'This value cannot be changed.' }],
    });
  });

  it('takes whole_numbers false and leaving it out as the same', () => {
    const amount = definition({ id: 12, type: 'numeric', name: 'Amount', settings: { wholeNumbers: false } });
    const result = patchDefinition(amount, { settings: {} }, { existing: [amount], ids: counter(50) });
    expect(result.ok).toBe(true);
  });

  it('changes only what the patch names', () => {
    const result = patchDefinition(select, { name: 'Client kind', sort: 501, type: 'select' }, patchContext);
    expect(result).toEqual({ ok: true, value: { definition: { ...select, name: 'Client kind', sort: 501 }, removedEnumIds: [] } });
  });

  it('keeps enums by id, creates new ones and reports the ones left out', () => {
    const result = patchDefinition(
      select,
      { enums: [{ id: 2, value: 'Regular' }, { value: 'VIP' }, { id: 1, value: 'New', sort: 7 }] },
      { existing: [select], ids: counter(50) },
    );
    expect(result).toEqual({
      ok: true,
      value: {
        definition: {
          ...select,
          enums: [
            { id: 2, value: 'Regular', sort: 2, code: 'OLD' },
            { id: 50, value: 'VIP', sort: 2, code: null },
            { id: 1, value: 'New', sort: 7, code: null },
          ],
        },
        removedEnumIds: [3],
      },
    });
  });

  it('refuses an enum id the field does not have', () => {
    const result = patchDefinition(select, { enums: [{ id: 99, value: 'X' }] }, patchContext);
    expect(result.ok ? [] : result.errors).toEqual([
      { code: 'NotSupportedChoice', path: 'enums.0.id', detail: 'The value you selected is not a valid choice.' },
    ]);
  });

  it('keeps its own code without calling it a duplicate', () => {
    expect(patchDefinition(select, { code: 'KIND' }, patchContext).ok).toBe(true);
  });

  it('refuses clearing the currency of a monetary field', () => {
    const amount = definition({ type: 'monetary', currency: 'EUR' });
    const result = patchDefinition(amount, { currency: null }, patchContext);
    expect(result.ok ? [] : result.errors).toEqual([{ code: 'FieldMissing', path: 'currency', detail: 'This field is missing.' }]);
  });

  it('refuses changing the code of a predefined field', () => {
    const phone = definition({ type: 'multitext', code: 'PHONE', isPredefined: true, enums: [{ id: 1, value: 'WORK', sort: 1, code: 'WORK' }] });
    const result = patchDefinition(phone, { code: 'TEL' }, patchContext);
    expect(result.ok ? [] : result.errors).toEqual([{ code: 'Immutable', path: 'code', detail: 'This value cannot be changed.' }]);
  });

  it('moves a nested option under another parent by parent id', () => {
    const category = definition({
      type: 'category',
      nested: [
        { id: 1, parentId: null, value: 'A', sort: 1 },
        { id: 2, parentId: null, value: 'B', sort: 2 },
      ],
    });
    const result = patchDefinition(category, { nested: [{ id: 1, value: 'A' }, { id: 2, value: 'B', parentId: 1 }] }, patchContext);
    expect(result.ok && result.value.definition.nested).toEqual([
      { id: 1, parentId: null, value: 'A', sort: 1 },
      { id: 2, parentId: 1, value: 'B', sort: 2 },
    ]);
  });
});

describe('assertDeletable', () => {
  it('refuses deleting a predefined field', () => {
    expect(assertDeletable(definition({ id: 5, name: 'Phone', type: 'multitext', isPredefined: true, isDeletable: false }))).toEqual({
      code: 'NotDeletable',
      path: 'id',
      detail: 'Field "Phone" (id 5) is predefined and cannot be deleted',
    });
  });

  it('allows deleting an ordinary field', () => {
    expect(assertDeletable(definition({ type: 'text' }))).toBeNull();
  });
});

describe('dropRemovedEnums', () => {
  it('drops items of removed options and the field when none is left', () => {
    const values = [
      { field_id: 1, values: [{ value: 'A', enum_id: 10 }, { value: 'B', enum_id: 11 }] },
      { field_id: 2, values: [{ value: 'C', enum_id: 12 }] },
      { field_id: 3, values: [{ value: 'x', enum_id: 10 }] },
    ];
    expect(dropRemovedEnums(dropRemovedEnums(values, 1, [10]), 2, [12])).toEqual([
      { field_id: 1, values: [{ value: 'B', enum_id: 11 }] },
      { field_id: 3, values: [{ value: 'x', enum_id: 10 }] },
    ]);
  });
});
