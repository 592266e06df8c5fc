import { describe, expect, it } from 'vitest';
import { predefinedContactFields } from '../../../src/core/fields/predefined.js';
import { counter } from './fixtures.js';

describe('predefinedContactFields', () => {
  const [phone, email] = predefinedContactFields('companies', counter(1));

  it('describes PHONE as an undeletable multitext with the six phone kinds', () => {
    expect(phone).toMatchObject({ entityType: 'companies', code: 'PHONE', type: 'multitext', isPredefined: true, isDeletable: false });
    expect(phone?.enums?.map((option) => [option.id, option.code])).toEqual([
      [1, 'WORK'],
      [2, 'WORKDD'],
      [3, 'MOB'],
      [4, 'FAX'],
      [5, 'HOME'],
      [6, 'OTHER'],
    ]);
  });

  it('describes EMAIL with the kinds WORK, PRIV and OTHER', () => {
    expect(email).toMatchObject({ code: 'EMAIL', type: 'multitext', isPredefined: true });
    expect(email?.enums?.map((option) => option.value)).toEqual(['WORK', 'PRIV', 'OTHER']);
  });
});
