import { normalizedDigits } from './digits.js';

/**
 * An Iranian mobile number (MSISDN) in its one canonical form: international, without `+`
 * (`989121234567`), as operators write it in subscriber files and HLR records. Every service
 * stores and compares this form, so the same SIM matches however a person or operator typed it.
 */
export type Msisdn = string;

/**
 * `09121234567`, `9121234567`, `+989121234567`, `00989121234567`, `989121234567`, with blanks,
 * dashes, dots, brackets or Persian/Arabic-Indic digits → `989121234567`; undefined for anything
 * else (landlines, foreign numbers, wrong length).
 */
export function parseMsisdn(input: unknown): Msisdn | undefined {
  const digits = normalizedDigits(input);
  if (digits === undefined) return undefined;
  const compact = digits.replace(/[\s\-().]/g, '');
  const match = /^(?:0|\+98|98|0098)?(9\d{9})$/.exec(compact);
  return match ? `98${match[1]}` : undefined;
}

/** `989121234567` → `09121234567`, the form people read and type. */
export function formatMsisdnNational(msisdn: Msisdn): string {
  return msisdn.startsWith('98') ? `0${msisdn.slice(2)}` : msisdn;
}

/** `989121234567` → `0912***4567`, for responses and logs that should not carry the full number. */
export function maskMsisdn(msisdn: Msisdn): string {
  const national = formatMsisdnNational(msisdn);
  return `${national.slice(0, 4)}***${national.slice(-4)}`;
}
