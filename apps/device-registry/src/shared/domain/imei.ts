/**
 * IMEI value object (3GPP TS 23.003 §6.2). The registry keys every device by its 14-digit core
 * (TAC 8 + serial 6) held as a number: 14 digits < 2^53, so a plain JS number is exact and the
 * EIR index can keep 10 million of them in typed arrays.
 */
export type ImeiProblem = 'malformed' | 'check_digit';

export type ImeiParse =
  | { ok: true; core: number; imei: string }
  | { ok: false; problem: ImeiProblem; message: string };

/** Luhn check digit of a 14-digit IMEI core (digits doubled from the right, starting rightmost). */
export function luhnCheckDigit(core: string): number {
  let sum = 0;
  for (let i = core.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = core.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

/**
 * 15 digits: check digit verified. 14 digits: check digit computed. 16 digits (IMEISV: TAC +
 * serial + software version): reduced to the 14-digit core. Anything else is malformed.
 * Spaces and hyphens (as printed on boxes: 49-015420-323751-8) are ignored.
 */
export function parseImei(raw: string | null | undefined): ImeiParse {
  const s = (raw ?? '').replace(/[\s-]/g, '');
  if (!allDigits(s)) {
    return { ok: false, problem: 'malformed', message: 'an IMEI is 14, 15 or 16 digits' };
  }
  let core: string;
  if (s.length === 15) {
    core = s.slice(0, 14);
    const expected = luhnCheckDigit(core);
    if (s.charCodeAt(14) - 48 !== expected) {
      return {
        ok: false,
        problem: 'check_digit',
        message: `the last digit of ${s} should be ${expected} (Luhn check digit); re-read the IMEI (*#06#)`,
      };
    }
  } else if (s.length === 14 || s.length === 16) {
    core = s.slice(0, 14);
  } else {
    return { ok: false, problem: 'malformed', message: `an IMEI is 14, 15 or 16 digits, got ${s.length}` };
  }
  return { ok: true, core: Number(core), imei: core + String(luhnCheckDigit(core)) };
}

/** The 15-digit IMEI (with check digit) of a 14-digit core held as a number. */
export function imeiFromCore(core: number): string {
  const c = String(core).padStart(14, '0');
  return c + String(luhnCheckDigit(c));
}

/** Fast path for bulk files: the core as a number, or -1 malformed, -2 wrong check digit. */
export function imeiCoreOrCode(s: string): number {
  const n = s.length;
  if (n !== 14 && n !== 15 && n !== 16) return -1;
  if (!allDigits(s)) return -1;
  const core = s.slice(0, 14);
  if (n === 15 && s.charCodeAt(14) - 48 !== luhnCheckDigit(core)) return -2;
  return Number(core);
}
