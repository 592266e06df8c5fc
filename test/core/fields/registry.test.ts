import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, type FieldType } from '../../../src/core/fields/model.js';
import { fieldTypeModule } from '../../../src/core/fields/registry.js';

/** enum_code is accepted only where an item picks a kind or option that may carry a code. */
const TAKES_ENUM_CODE: FieldType[] = ['select', 'multiselect', 'radiobutton', 'multitext', 'smart_address'];

describe('field type registry', () => {
  it.each(FIELD_TYPES)('has a module for %s', (type) => {
    expect(fieldTypeModule(type).definitionRules(type)).toBeDefined();
  });

  it('accepts enum_code only on select, multiselect, radiobutton, multitext and smart_address', () => {
    const accepting = FIELD_TYPES.filter((type) => fieldTypeModule(type).itemKeys(type).includes('enum_code'));
    expect(accepting).toEqual(TAKES_ENUM_CODE);
  });
});
