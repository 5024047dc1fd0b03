import { isEmail } from 'class-validator';
import { parseMsisdn, toAsciiDigits } from './identifiers.js';

/**
 * A phone an agency's technical contact can be reached on: a mobile number (the platform's
 * MSISDN rule) or an Iranian landline — 0, a two-digit area code (1–8…), eight digits, e.g.
 * 021-88776655 or +98 21 8877 6655, optionally with an extension after "x" or "داخلی".
 */
export function isReachablePhone(raw: string): boolean {
  if (parseMsisdn(raw) !== undefined) return true;
  const s = toAsciiDigits(raw).replace(/\s*(x|ext\.?|داخلی)\s*\d{1,6}$/i, '').replace(/[\s\-()]/g, '');
  return /^(?:0|\+98|0098)[1-8]\d{9}$/.test(s);
}

export function isValidEmail(raw: string): boolean {
  return isEmail(raw.trim());
}
