import { describe, expect, it } from 'vitest';
import { assertValueChangesAllowed, valueChangeDenials, type GuardedField } from '../../../src/core/access/field-changes.js';

const fields: GuardedField[] = [
  { id: 1, name: 'Budget', isApiOnly: false, isEditable: true },
  { id: 2, name: 'Source', isApiOnly: true, isEditable: true },
  { id: 3, name: 'Created by robot', isApiOnly: false, isEditable: false },
];

describe('valueChangeDenials', () => {
  it('allows changing an ordinary field from both channels', () => {
    expect(valueChangeDenials(fields, [1], 'console')).toEqual([]);
    expect(valueChangeDenials(fields, [1], 'api')).toEqual([]);
  });

  it('allows changing an API-only field through the API', () => {
    expect(valueChangeDenials(fields, [2], 'api')).toEqual([]);
  });

  it('refuses changing an API-only field from the console', () => {
    expect(valueChangeDenials(fields, [2], 'console')).toEqual([
      { fieldId: 2, code: 'Forbidden', detail: 'Field 2 "Source" can only be changed through the API' },
    ]);
  });

  it('refuses changing a field that is not editable, from any channel', () => {
    const denial = { fieldId: 3, code: 'NotEditable', detail: 'Field 3 "Created by robot" is not editable' };
    expect(valueChangeDenials(fields, [3], 'api')).toEqual([denial]);
    expect(valueChangeDenials(fields, [3], 'console')).toEqual([denial]);
  });

  it('reports each refused field once, in the order asked', () => {
    expect(valueChangeDenials(fields, [3, 1, 2, 3], 'console').map((denial) => denial.fieldId)).toEqual([3, 2]);
  });

  it('leaves unknown field ids to value validation', () => {
    expect(valueChangeDenials(fields, [404], 'console')).toEqual([]);
  });

  it('assertValueChangesAllowed throws one forbidden error naming every refused field', () => {
    expect(() => assertValueChangesAllowed(fields, [2, 3], 'console')).toThrow(
      expect.objectContaining({
        kind: 'forbidden',
        message: 'Field 2 "Source" can only be changed through the API; Field 3 "Created by robot" is not editable',
      }),
    );
  });

  it('assertValueChangesAllowed returns quietly when every change is allowed', () => {
    expect(() => assertValueChangesAllowed(fields, [1, 2], 'api')).not.toThrow();
  });
});
