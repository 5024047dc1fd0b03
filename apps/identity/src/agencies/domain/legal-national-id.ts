import { toAsciiDigits } from '../../shared/digits.js';

const WEIGHTS = [29, 27, 23, 19, 17];

/**
 * Iranian legal-entity national ID (شناسه ملی اشخاص حقوقی): 11 digits, the last a check digit.
 * With d = (10th digit + 2), sum over the first ten digits of (digit + d) × weight, weights
 * 29, 27, 23, 19, 17 repeating; the check digit is sum mod 11, where 10 counts as 0.
 * Digits 4–9 (the serial part) may not all be zero.
 */
export function isValidLegalNationalId(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  if (/^0+$/.test(value) || value.slice(3, 9) === '000000') return false;
  const digits = [...value].map(Number);
  const d = digits[9] + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (digits[i] + d) * WEIGHTS[i % 5];
  const check = sum % 11 === 10 ? 0 : sum % 11;
  return check === digits[10];
}

/** Trims and converts Persian digits; returns undefined when the result is not a valid ID. */
export function parseLegalNationalId(input: string): string | undefined {
  const value = toAsciiDigits(input.trim());
  return isValidLegalNationalId(value) ? value : undefined;
}
