import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../shared/clock.js';
import { OtpChallenge, DEFAULT_OTP_POLICY as policy } from './otp-challenge.js';
import { OtpLockedError, OtpResendTooSoonError } from './citizen.errors.js';
import { OtpCodeHasher, RandomOtpCodeGenerator } from './otp-code.js';

describe('OtpChallenge', () => {
  it('accepts the right code once, within two minutes', () => {
    const clock = new ManualClock();
    const c = OtpChallenge.issue('c1', 'h', clock.now(), policy, null);
    clock.advanceSeconds(119);
    expect(c.check(true, clock.now(), policy)).toBe('accepted');
    expect(c.check(true, clock.now(), policy)).toBe('consumed');
  });

  it('refuses the right code after it expired (120 s)', () => {
    const clock = new ManualClock();
    const c = OtpChallenge.issue('c1', 'h', clock.now(), policy, null);
    clock.advanceSeconds(120);
    expect(c.check(true, clock.now(), policy)).toBe('expired');
  });

  it('allows at most five tries; the right code on the sixth is refused', () => {
    const clock = new ManualClock();
    const c = OtpChallenge.issue('c1', 'h', clock.now(), policy, null);
    for (let i = 0; i < 5; i++) expect(c.check(false, clock.now(), policy)).toBe('mismatch');
    expect(c.remainingAttempts).toBe(0);
    expect(c.check(true, clock.now(), policy)).toBe('exhausted');
    expect(c.attempts).toBe(5);
  });

  it('counts the successful try too', () => {
    const clock = new ManualClock();
    const c = OtpChallenge.issue('c1', 'h', clock.now(), policy, null);
    c.check(false, clock.now(), policy);
    expect(c.check(true, clock.now(), policy)).toBe('accepted');
    expect(c.attempts).toBe(2);
  });

  it('throttles a resend within 60 s and allows it afterwards', () => {
    const clock = new ManualClock();
    const first = OtpChallenge.issue('c1', 'h1', clock.now(), policy, null);
    clock.advanceSeconds(45);
    try {
      OtpChallenge.issue('c1', 'h2', clock.now(), policy, first);
      throw new Error('expected throttle');
    } catch (e) {
      expect(e).toBeInstanceOf(OtpResendTooSoonError);
      expect((e as OtpResendTooSoonError).retryAfterSeconds).toBe(15);
    }
    clock.advanceSeconds(15);
    const second = OtpChallenge.issue('c1', 'h2', clock.now(), policy, first);
    expect(second.codeHash).toBe('h2');
    expect(second.attempts).toBe(0);
  });

  it('locks the account after ten wrong codes in a row across codes: a new code does not reset them', () => {
    const clock = new ManualClock();
    let c = OtpChallenge.issue('c1', 'h', clock.now(), policy, null);
    let wrong = 0;
    while (wrong < 10) {
      if (c.remainingAttempts === 0) {
        clock.advanceSeconds(60);
        c = OtpChallenge.issue('c1', 'h', clock.now(), policy, c);
      }
      expect(c.check(false, clock.now(), policy)).toBe('mismatch');
      wrong++;
    }
    expect(c.failures).toBe(10);
    // Locked: even the right code is refused, and no new code is issued.
    expect(c.check(true, clock.now(), policy)).toBe('locked');
    clock.advanceSeconds(60);
    expect(() => OtpChallenge.issue('c1', 'h', clock.now(), policy, c)).toThrow(OtpLockedError);
    // After the lock one try; another wrong code locks again at once.
    clock.advanceSeconds(3600);
    c = OtpChallenge.issue('c1', 'h', clock.now(), policy, c);
    expect(c.check(false, clock.now(), policy)).toBe('mismatch');
    expect(c.isLocked(clock.now())).toBe(true);
    clock.advanceSeconds(3600);
    c = OtpChallenge.issue('c1', 'h', clock.now(), policy, c);
    expect(c.check(true, clock.now(), policy)).toBe('accepted');
    expect(c.failures).toBe(0);
    expect(c.lockedUntil).toBeNull();
  });
});

describe('OTP code', () => {
  it('is six digits from the CSPRNG', () => {
    const gen = new RandomOtpCodeGenerator();
    const codes = new Set(Array.from({ length: 50 }, () => gen.generate()));
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(codes.size).toBeGreaterThan(40);
  });

  it('is stored as a keyed hash bound to the citizen', () => {
    const hasher = new OtpCodeHasher('k1');
    const stored = hasher.hash('c1', '123456');
    expect(stored).not.toContain('123456');
    expect(hasher.matches('c1', '123456', stored)).toBe(true);
    expect(hasher.matches('c1', '123457', stored)).toBe(false);
    expect(hasher.matches('c2', '123456', stored)).toBe(false);
    expect(new OtpCodeHasher('k2').matches('c1', '123456', stored)).toBe(false);
  });
});
