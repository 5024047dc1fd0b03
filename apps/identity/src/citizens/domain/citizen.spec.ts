import { describe, expect, it } from '@jest/globals';
import { Citizen } from './citizen.js';
import { MobileInvalidError, NationalCodeInvalidError } from './citizen.errors.js';

const now = new Date('2025-01-01T00:00:00Z');

describe('Citizen.register', () => {
  it('stores the normalised mobile number', () => {
    const c = Citizen.register({ id: 'c1', nationalCode: '1583250689', mobile: '+989121234567', now });
    expect(c.mobile).toBe('09121234567');
    expect(c.nationalCode).toBe('1583250689');
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
