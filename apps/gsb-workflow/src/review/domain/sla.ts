/**
 * Review SLAs: a submitted request must be claimed within N working hours and decided within M
 * calendar days. Working time is a weekly calendar in one time zone (the ITO's: Saturday to
 * Wednesday 08:00–16:00 Asia/Tehran; Thursday and Friday off), plus optional holidays.
 */
export interface WorkingCalendar {
  timeZone: string;
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  days: readonly number[];
  /** Minutes after local midnight the working day starts / ends. */
  startMinute: number;
  endMinute: number;
  /** Local dates (YYYY-MM-DD) that are not working days. */
  holidays: readonly string[];
}

export const ITO_CALENDAR: WorkingCalendar = { timeZone: 'Asia/Tehran', days: [6, 0, 1, 2, 3], startMinute: 8 * 60, endMinute: 16 * 60, holidays: [] };

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at `at`, in minutes (Tehran: +210 since 2022, when Iran dropped DST). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Parses `Sat-Wed 08:00-16:00` style settings; throws on nonsense. */
export function parseWorkingHours(spec: string, timeZone: string, holidays: readonly string[] = []): WorkingCalendar {
  const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const m = /^([a-z]{3})-([a-z]{3})\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/i.exec(spec.trim());
  if (!m) throw new Error(`working hours "${spec}" must look like "Sat-Wed 08:00-16:00"`);
  const from = names.indexOf(m[1].toLowerCase());
  const to = names.indexOf(m[2].toLowerCase());
  if (from < 0 || to < 0) throw new Error(`unknown weekday in "${spec}"`);
  const days: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === to) break;
  }
  const startMinute = Number(m[3]) * 60 + Number(m[4]);
  const endMinute = Number(m[5]) * 60 + Number(m[6]);
  if (!(startMinute < endMinute && endMinute <= 24 * 60)) throw new Error(`working hours "${spec}" must end after they start, within a day`);
  return { timeZone, days, startMinute, endMinute, holidays };
}

function localDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant `hours` working hours after `from`: time outside working windows does not count.
 * A request submitted on Wednesday 15:00 with 4 working hours is due Saturday 11:00.
 */
export function addWorkingHours(from: Date, hours: number, cal: WorkingCalendar): Date {
  let remaining = Math.round(hours * 60) * MIN_MS;
  const offset = utcOffsetMinutes(cal.timeZone, from) * MIN_MS;
  let wall = from.getTime() + offset;
  for (let guard = 0; guard < 3700; guard++) {
    const day = Math.floor(wall / DAY_MS);
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
    const open = day * DAY_MS + cal.startMinute * MIN_MS;
    const close = day * DAY_MS + cal.endMinute * MIN_MS;
    const working = cal.days.includes(weekday) && !cal.holidays.includes(localDate(day));
    if (working && wall < close) {
      const start = Math.max(wall, open);
      const available = close - start;
      if (remaining <= available) return new Date(start + remaining - offset);
      remaining -= available;
    }
    wall = (day + 1) * DAY_MS;
  }
  throw new Error('working calendar has no working time');
}

/** The instant `days` calendar days after `from` (the decision deadline). */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

export interface SlaSettings {
  calendar: WorkingCalendar;
  claimWithinWorkingHours: number;
  decideWithinDays: number;
}

export interface SlaDueTimes {
  claimDueAt: Date;
  decisionDueAt: Date;
}

export function dueTimes(submittedAt: Date, s: SlaSettings): SlaDueTimes {
  return { claimDueAt: addWorkingHours(submittedAt, s.claimWithinWorkingHours, s.calendar), decisionDueAt: addDays(submittedAt, s.decideWithinDays) };
}

/** Which SLAs a request has broken at `now` (and not yet been escalated for). */
export function overdue(
  r: { state: string; claimDueAt: Date | null; decisionDueAt: Date | null; claimEscalatedAt: Date | null; decisionEscalatedAt: Date | null },
  now: Date,
): ('CLAIM' | 'DECISION')[] {
  const out: ('CLAIM' | 'DECISION')[] = [];
  if (r.state === 'SUBMITTED' && r.claimDueAt && !r.claimEscalatedAt && r.claimDueAt <= now) out.push('CLAIM');
  if (['SUBMITTED', 'IN_REVIEW', 'PENDING_SECOND_APPROVAL'].includes(r.state) && r.decisionDueAt && !r.decisionEscalatedAt && r.decisionDueAt <= now) out.push('DECISION');
  return out;
}
