import { describe, expect, it } from '@jest/globals';
import { isValidNationalCode, parseNationalCode } from './national-code.js';

describe('national code (کد ملی) check digit', () => {
  // Published valid examples (persian-tools test-suite); they cover both branches r < 2 and r ≥ 2.
  it.each(['0499370899', '0790419904', '1583250689', '0684159414', '4400276201', '2540201288'])(
    'accepts the known-valid code %s',
    (code) => expect(isValidNationalCode(code)).toBe(true),
  );

  it('rejects a wrong check digit', () => {
    expect(isValidNationalCode('1234567890')).toBe(false);
    expect(isValidNationalCode('0499370898')).toBe(false);
    expect(isValidNationalCode('1583250680')).toBe(false);
  });

  it('rejects codes of one repeated digit even though their checksum holds', () => {
    for (let d = 0; d <= 9; d++) expect(isValidNationalCode(String(d).repeat(10))).toBe(false);
  });

  it('rejects wrong lengths and non-digits', () => {
    expect(isValidNationalCode('68415941')).toBe(false);
    expect(isValidNationalCode('04993708999')).toBe(false);
    expect(isValidNationalCode('049937089x')).toBe(false);
  });

  it('parses Persian digits and blanks', () => {
    expect(parseNationalCode(' ۱۵۸۳۲۵۰۶۸۹')).toBe('1583250689');
    expect(parseNationalCode('1111111111')).toBeUndefined();
  });
});
