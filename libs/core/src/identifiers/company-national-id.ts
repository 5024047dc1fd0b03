import { normalizedDigits } from './digits.js';

const WEIGHTS = [29, 27, 23, 19, 17];

/**
 * National ID of a legal entity (شناسه ملی اشخاص حقوقی: companies, agencies): 11 digits, the last
 * a check digit. With d = 10th digit + 2, sum over the first ten digits of (digit + d) × weight
 * (29, 27, 23, 19, 17 repeating); the check digit is sum mod 11, where 10 counts as 0. Digits 4–9
 * (the serial part) may not all be zero.
 */
export function isValidCompanyNationalId(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  if (value.slice(3, 9) === '000000') return false;
  const d = value.charCodeAt(9) - 48 + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (value.charCodeAt(i) - 48 + d) * WEIGHTS[i % 5];
  const r = sum % 11;
  return (r === 10 ? 0 : r) === value.charCodeAt(10) - 48;
}

/** Trims and converts Persian digits; undefined when the result is not a valid national ID. */
export function parseCompanyNationalId(input: unknown): string | undefined {
  const value = normalizedDigits(input);
  return value !== undefined && isValidCompanyNationalId(value) ? value : undefined;
}
