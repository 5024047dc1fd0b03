/**
 * The one date parser of the registry: calendar days (`YYYY-MM-DD`, UTC) as day numbers since
 * 1970-01-01, and the timestamps of ownership files (a day or an RFC 3339 date-time with a zone).
 * Rolled-over dates (2024-02-30) are refused: the date must print back as written.
 */

function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 (UTC) of a `YYYY-MM-DD` string, or null (no regex: the bulk reader calls it). */
export function dayNumber(s: string): number | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 7);
  const d = digitsAt(s, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return t / 86_400_000;
}

export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function todayNumber(now: Date): number {
  return Math.floor(now.getTime() / 86_400_000);
}

const DATE_TIME_REST = /^(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time with a zone, or null. */
export function parseTimestamp(raw: string): Date | null {
  const day = dayNumber(raw.slice(0, 10));
  if (day === null || !DATE_TIME_REST.test(raw.slice(10))) return null;
  const t = raw.length === 10 ? day * 86_400_000 : Date.parse(raw.replace(' ', 'T'));
  return Number.isNaN(t) ? null : new Date(t);
}
