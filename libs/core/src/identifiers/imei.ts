/**
 * IMEI value object (3GPP TS 23.003 §6.2). Devices are keyed by the 14-digit core (TAC 8 +
 * serial 6), held as a number where speed matters: 14 digits < 2^53, so a JS number is exact.
 */
export type ImeiProblem = 'malformed' | 'check_digit' | 'reserved';

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
 * A TAC of all zeros is never allocated by the GSMA (and `000000000000000` passes Luhn): it is
 * what cloned and test handsets report, so it is refused rather than treated as a device.
 */
const RESERVED_TAC_LIMIT = 1_000_000; // core < 10^6 ⇔ the 8-digit TAC is 00000000

/**
 * 15 digits: check digit verified. 14 digits: check digit computed. 16 digits (IMEISV: TAC +
 * serial + software version): reduced to the 14-digit core. Anything else is malformed.
 * Spaces and hyphens (as printed on boxes: 49-015420-323751-8) are ignored; signs are not.
 */
export function parseImei(raw: string | null | undefined): ImeiParse {
  const s = (raw ?? '').replace(/[\s-]/g, '');
  if (!allDigits(s) || /[+-]/.test((raw ?? '').trim().slice(0, 1))) {
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
  const coreNumber = Number(core);
  if (coreNumber < RESERVED_TAC_LIMIT) {
    return { ok: false, problem: 'reserved', message: 'an IMEI whose TAC (first 8 digits) is all zeros is never issued' };
  }
  return { ok: true, core: coreNumber, imei: core + String(luhnCheckDigit(core)) };
}

/** The 15-digit IMEI (with check digit) of a 14-digit core held as a number. */
export function imeiFromCore(core: number): string {
  const c = String(core).padStart(14, '0');
  return c + String(luhnCheckDigit(c));
}

/** Fast path for bulk files: the core as a number, or -1 malformed, -2 wrong check digit, -3 reserved TAC. */
export function imeiCoreOrCode(s: string): number {
  const n = s.length;
  if (n !== 14 && n !== 15 && n !== 16) return -1;
  if (!allDigits(s)) return -1;
  const core = s.slice(0, 14);
  if (n === 15 && s.charCodeAt(14) - 48 !== luhnCheckDigit(core)) return -2;
  const value = Number(core);
  return value < RESERVED_TAC_LIMIT ? -3 : value;
}
