import { describe, expect, it } from '@jest/globals';
import { ITO_CALENDAR, addWorkingHours, dueTimes, overdue, parseWorkingHours, utcOffsetMinutes } from './sla.js';

// Tehran is UTC+03:30 all year (no DST since 2022): 08:00 Tehran = 04:30Z.
const tehran = (local: string) => new Date(`${local}+03:30`);

describe('working-hours SLA (Sat–Wed 08:00–16:00 Asia/Tehran)', () => {
  it('knows Tehran is UTC+03:30', () => {
    expect(utcOffsetMinutes('Asia/Tehran', new Date('2026-12-07T00:00:00Z'))).toBe(210);
    expect(utcOffsetMinutes('Asia/Tehran', new Date('2026-06-07T00:00:00Z'))).toBe(210);
  });

  it('counts hours inside one working day', () => {
    // 2026-12-05 is a Saturday.
    expect(addWorkingHours(tehran('2026-12-05T09:00:00'), 4, ITO_CALENDAR)).toEqual(tehran('2026-12-05T13:00:00'));
  });

  it('a request submitted before opening starts counting at 08:00', () => {
    expect(addWorkingHours(tehran('2026-12-06T06:15:00'), 2, ITO_CALENDAR)).toEqual(tehran('2026-12-06T10:00:00'));
  });

  it('rolls over the close of the day into the next working morning', () => {
    // Sunday 14:00 + 4h = 2h on Sunday, 2h on Monday.
    expect(addWorkingHours(tehran('2026-12-06T14:00:00'), 4, ITO_CALENDAR)).toEqual(tehran('2026-12-07T10:00:00'));
  });

  it('skips Thursday and Friday: Wednesday 15:00 + 4h is Saturday 11:00', () => {
    expect(addWorkingHours(tehran('2026-12-09T15:00:00'), 4, ITO_CALENDAR)).toEqual(tehran('2026-12-12T11:00:00'));
  });

  it('a request submitted on Friday evening is due from Saturday 08:00', () => {
    expect(addWorkingHours(tehran('2026-12-11T20:00:00'), 8, ITO_CALENDAR)).toEqual(tehran('2026-12-12T16:00:00'));
  });

  it('a submission after closing counts from the next working morning', () => {
    expect(addWorkingHours(tehran('2026-12-07T17:30:00'), 1, ITO_CALENDAR)).toEqual(tehran('2026-12-08T09:00:00'));
  });

  it('skips configured holidays', () => {
    const cal = { ...ITO_CALENDAR, holidays: ['2026-12-12'] };
    expect(addWorkingHours(tehran('2026-12-09T15:00:00'), 4, cal)).toEqual(tehran('2026-12-13T11:00:00'));
  });

  it('16 working hours is two full working days', () => {
    expect(addWorkingHours(tehran('2026-12-08T08:00:00'), 16, ITO_CALENDAR)).toEqual(tehran('2026-12-09T16:00:00'));
  });

  it('parses a configured calendar, wrapping around the week', () => {
    const cal = parseWorkingHours('Sat-Wed 08:00-16:00', 'Asia/Tehran');
    expect(cal.days).toEqual([6, 0, 1, 2, 3]);
    expect(cal.startMinute).toBe(480);
    expect(cal.endMinute).toBe(960);
    expect(() => parseWorkingHours('every day', 'Asia/Tehran')).toThrow();
    expect(() => parseWorkingHours('Sat-Wed 16:00-08:00', 'Asia/Tehran')).toThrow();
  });

  it('a UTC Mon–Fri calendar works too', () => {
    const cal = parseWorkingHours('Mon-Fri 09:00-17:00', 'UTC');
    // 2026-12-11 is a Friday.
    expect(addWorkingHours(new Date('2026-12-11T16:00:00Z'), 2, cal)).toEqual(new Date('2026-12-14T10:00:00Z'));
  });

  it('due times: claim in working hours, decision in calendar days', () => {
    const d = dueTimes(tehran('2026-12-09T15:00:00'), { calendar: ITO_CALENDAR, claimWithinWorkingHours: 4, decideWithinDays: 5 });
    expect(d.claimDueAt).toEqual(tehran('2026-12-12T11:00:00'));
    expect(d.decisionDueAt).toEqual(tehran('2026-12-14T15:00:00'));
  });
});

describe('overdue', () => {
  const base = { claimDueAt: new Date('2026-12-07T10:00:00Z'), decisionDueAt: new Date('2026-12-10T10:00:00Z'), claimEscalatedAt: null, decisionEscalatedAt: null };
  it('an unclaimed request past its claim due time is overdue for claim', () => {
    expect(overdue({ ...base, state: 'SUBMITTED' }, new Date('2026-12-07T10:00:00Z'))).toEqual(['CLAIM']);
  });
  it('is not overdue before the due time', () => {
    expect(overdue({ ...base, state: 'SUBMITTED' }, new Date('2026-12-07T09:59:59Z'))).toEqual([]);
  });
  it('a claimed request only has the decision SLA', () => {
    expect(overdue({ ...base, state: 'IN_REVIEW' }, new Date('2026-12-11T00:00:00Z'))).toEqual(['DECISION']);
  });
  it('escalates each SLA once', () => {
    expect(overdue({ ...base, state: 'SUBMITTED', claimEscalatedAt: new Date() }, new Date('2026-12-11T00:00:00Z'))).toEqual(['DECISION']);
  });
  it('returned and decided requests are not on the clock', () => {
    for (const state of ['RETURNED', 'APPROVED', 'REJECTED', 'DRAFT']) expect(overdue({ ...base, state }, new Date('2027-01-01T00:00:00Z'))).toEqual([]);
  });
});
