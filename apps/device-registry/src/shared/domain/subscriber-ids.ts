/**
 * MSISDN, IMSI and national-code value objects. MSISDNs are stored in international form
 * without `+` (989121234567) so the same SIM matches whatever way a caller or operator wrote it.
 */

/** 09121234567, 9121234567, 989121234567, +989121234567, 00989121234567 → 989121234567. */
export function normalizeMsisdn(raw: string | null | undefined): string | null {
  let s = (raw ?? '').replace(/[\s-]/g, '');
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('00')) s = s.slice(2);
  if (!/^\d+$/.test(s)) return null;
  let national: string;
  if (s.length === 12 && s.startsWith('98')) national = s.slice(2);
  else if (s.length === 11 && s.startsWith('0')) national = s.slice(1);
  else if (s.length === 10) national = s;
  else return null;
  if (!national.startsWith('9')) return null;
  return '98' + national;
}

/** IMSI = MCC(3) + MNC(2 in Iran) + MSIN; 15 digits. Returns the PLMN (MCC+MNC) or null. */
export function imsiPlmn(raw: string | null | undefined, mncLength = 2): string | null {
  const s = (raw ?? '').trim();
  if (!/^\d{15}$/.test(s)) return null;
  return s.slice(0, 3 + mncLength);
}

/**
 * Iranian national code (کد ملی): 10 digits, the last a check digit: r = Σ d[i]·(10−i) mod 11
 * over the first nine; check = r < 2 ? r : 11 − r. Codes of one repeated digit are not issued.
 */
export function isValidNationalCode(raw: string | null | undefined): boolean {
  const s = (raw ?? '').trim();
  if (!/^\d{10}$/.test(s)) return false;
  if (/^(\d)\1{9}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (s.charCodeAt(i) - 48) * (10 - i);
  const r = sum % 11;
  const check = r < 2 ? r : 11 - r;
  return s.charCodeAt(9) - 48 === check;
}

/** Iran's three mobile network operators and their PLMN ids (MCC 432). Overridable by config. */
export const DEFAULT_OPERATOR_PLMNS: Record<string, string[]> = {
  MCI: ['43211'],
  IRANCELL: ['43235'],
  RIGHTEL: ['43220'],
};

/** `MCI:43211,IRANCELL:43235,RIGHTEL:43220` → { MCI: ['43211'], ... }. */
export function parseOperatorPlmns(spec: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [code, plmn] = part.split(':').map((p) => p.trim());
    if (!code || !plmn || !/^\d{5,6}$/.test(plmn)) throw new Error(`bad operator PLMN entry "${part}"`);
    (out[code] ??= []).push(plmn);
  }
  return out;
}

/** Days since 1970-01-01 (UTC) of a YYYY-MM-DD string, or null. */
export function dayNumber(iso: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const t = Date.parse(iso + 'T00:00:00Z');
  if (Number.isNaN(t)) return null;
  const day = t / 86_400_000;
  // Date.parse accepts 2024-02-30 (rolls over); reject it by formatting back.
  if (new Date(t).toISOString().slice(0, 10) !== iso) return null;
  return day;
}

export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function todayNumber(now: Date): number {
  return Math.floor(now.getTime() / 86_400_000);
}
