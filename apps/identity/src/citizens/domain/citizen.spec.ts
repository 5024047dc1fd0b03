import { describe, expect, it } from '@jest/globals';
import { Citizen } from './citizen.js';
import { MobileInvalidError, NationalCodeInvalidError } from './citizen.errors.js';

const now = new Date('2025-01-01T00:00:00Z');

describe('Citizen.register', () => {
  it('stores the mobile as the canonical MSISDN (989…), from any common form and Persian digits', () => {
    for (const mobile of ['+989121234567', '09121234567', '00989121234567', '۰۹۱۲۱۲۳۴۵۶۷']) {
      expect(Citizen.register({ id: 'c1', nationalCode: '1583250689', mobile, now }).mobile).toBe('989121234567');
    }
    expect(Citizen.register({ id: 'c1', nationalCode: '۱۵۸۳۲۵۰۶۸۹', mobile: '09121234567', now }).nationalCode).toBe('1583250689');
  });

  it('names both fields when both are bad', () => {
    try {
      Citizen.register({ id: 'c1', nationalCode: '1111111111', mobile: '021', now });
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(NationalCodeInvalidError);
      expect((e as NationalCodeInvalidError).errors?.map((x) => x.field)).toEqual(['nationalCode', 'mobile']);
    }
  });

  it('names the mobile field alone when only it is bad', () => {
    expect(() => Citizen.register({ id: 'c1', nationalCode: '1583250689', mobile: '0912', now })).toThrow(
      MobileInvalidError,
    );
  });
});
