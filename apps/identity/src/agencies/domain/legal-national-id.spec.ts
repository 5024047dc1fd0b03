import { describe, expect, it } from '@jest/globals';
import { isValidLegalNationalId, parseLegalNationalId } from './legal-national-id.js';

describe('legal national ID (شناسه ملی) check digit', () => {
  // 10380284790 is the published valid example of the persian-tools test-suite; its
  // one-digit mutations below are the same suite's invalid examples.
  it('accepts a known-valid legal national ID', () => {
    expect(isValidLegalNationalId('10380284790')).toBe(true);
  });

  it('rejects the same ID with a wrong check digit', () => {
    expect(isValidLegalNationalId('10380284792')).toBe(false);
    for (let c = 0; c <= 9; c++) {
      if (c === 0) continue;
      expect(isValidLegalNationalId(`1038028479${c}`)).toBe(false);
    }
  });

  it('rejects a changed body digit (10380285692)', () => {
    expect(isValidLegalNationalId('10380285692')).toBe(false);
  });

  it('rejects wrong lengths and non-digits', () => {
    expect(isValidLegalNationalId('1038028479')).toBe(false);
    expect(isValidLegalNationalId('103802847900')).toBe(false);
    expect(isValidLegalNationalId('1038028479a')).toBe(false);
    expect(isValidLegalNationalId('')).toBe(false);
  });

  it('rejects all zeros and an all-zero serial part', () => {
    expect(isValidLegalNationalId('00000000000')).toBe(false);
    // Check digit of 12300000001 computes correctly, but the serial part is empty.
    expect(isValidLegalNationalId('12300000007')).toBe(false);
  });

  it('is not the natural-person algorithm: 11111111111 and 09748208301 fail', () => {
    expect(isValidLegalNationalId('11111111111')).toBe(false);
    expect(isValidLegalNationalId('09748208301')).toBe(false);
  });

  it('parses Persian digits and surrounding blanks', () => {
    expect(parseLegalNationalId(' ۱۰۳۸۰۲۸۴۷۹۰ ')).toBe('10380284790');
    expect(parseLegalNationalId('10380284791')).toBeUndefined();
  });
});
