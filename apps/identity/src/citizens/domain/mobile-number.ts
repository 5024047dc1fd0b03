import { toAsciiDigits } from '../../shared/digits.js';

/**
 * Normalises an Iranian mobile number to `09xxxxxxxxx`. Accepts `09…`, `+989…`, `989…` and
 * `00989…`, with blanks, dashes or Persian digits. Returns undefined for anything else
 * (landlines, foreign numbers, wrong length).
 */
export function normalizeMobile(input: string): string | undefined {
  const compact = toAsciiDigits(input.trim()).replace(/[\s\-().]/g, '');
  const match = /^(?:0|\+98|98|0098)(9\d{9})$/.exec(compact);
  return match ? `0${match[1]}` : undefined;
}

/** `09121234567` → `0912***4567`, for responses and logs that should not carry the full number. */
export function maskMobile(mobile: string): string {
  return `${mobile.slice(0, 4)}***${mobile.slice(-4)}`;
}
