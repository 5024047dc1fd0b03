import { toAsciiDigits } from '../../shared/digits.js';

/**
 * Iranian national code (کد ملی): 10 digits; with s = Σ digit[i] × (10 − i) over the first
 * nine, r = s mod 11, the check digit is r when r < 2, else 11 − r. Codes of one repeated
 * digit satisfy the checksum but are never issued, so they are refused.
 */
export function isValidNationalCode(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  if (/^(\d)\1{9}$/.test(value)) return false;
  const digits = [...value].map(Number);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digits[i] * (10 - i);
  const r = sum % 11;
  return digits[9] === (r < 2 ? r : 11 - r);
}

export function parseNationalCode(input: string): string | undefined {
  const value = toAsciiDigits(input.trim());
  return isValidNationalCode(value) ? value : undefined;
}
