import { normalizedDigits } from './digits.js';

/**
 * Iranian national code (کد ملی) of a person: 10 digits; with s = Σ digit[i] × (10 − i) over the
 * first nine, r = s mod 11, the check digit is r when r < 2, else 11 − r. Codes of one repeated
 * digit satisfy the checksum but are never issued, so they are refused.
 */
export function isValidNationalCode(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  if (/^(\d)\1{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (value.charCodeAt(i) - 48) * (10 - i);
  const r = sum % 11;
  return value.charCodeAt(9) - 48 === (r < 2 ? r : 11 - r);
}

/** Trims and converts Persian digits; undefined when the result is not a valid national code. */
export function parseNationalCode(input: unknown): string | undefined {
  const value = normalizedDigits(input);
  return value !== undefined && isValidNationalCode(value) ? value : undefined;
}
