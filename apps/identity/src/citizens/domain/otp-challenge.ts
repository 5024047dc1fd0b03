import { OtpLockedError, OtpResendTooSoonError } from './citizen.errors.js';

export interface OtpPolicy {
  /** How long a code is valid (2 minutes). */
  ttlSeconds: number;
  /** Wrong guesses allowed per code (5). A 6-digit code then has a 5-in-a-million guess chance. */
  maxAttempts: number;
  /** Minimum gap between two sends to the same citizen (60 s): caps SMS cost and spam. */
  resendAfterSeconds: number;
  /**
   * Wrong codes in a row per account, across codes (10): a new code does not reset them, only a
   * successful login does. Reaching it locks the account's logins for `lockSeconds`; after that
   * every further wrong code locks again, so guessing gets one try per lock period.
   */
  maxFailures: number;
  /** How long a lock lasts (3600 s). */
  lockSeconds: number;
}

export const DEFAULT_OTP_POLICY: OtpPolicy = { ttlSeconds: 120, maxAttempts: 5, resendAfterSeconds: 60, maxFailures: 10, lockSeconds: 3600 };

export interface OtpChallengeProps {
  citizenId: string;
  codeHash: string;
  sentAt: Date;
  expiresAt: Date;
  attempts: number;
  maxAttempts: number;
  consumedAt: Date | null;
  /** Wrong codes in a row for this account, carried over from one code to the next. */
  failures: number;
  lockedUntil: Date | null;
}

export type OtpCheck = 'accepted' | 'mismatch' | 'expired' | 'exhausted' | 'consumed' | 'locked';

/**
 * The one live login code of a citizen. Issuing a new code replaces the old one (so only the
 * latest SMS works). Every check counts, right or wrong, and the caller must persist the
 * challenge after `check` even when it fails — otherwise attempts would not add up. The
 * account's failure count and lock survive the replacement (see OtpPolicy.maxFailures).
 */
export class OtpChallenge {
  private constructor(private props: OtpChallengeProps) {}

  static issue(citizenId: string, codeHash: string, now: Date, policy: OtpPolicy, previous: OtpChallenge | null): OtpChallenge {
    if (previous) {
      const wait = previous.secondsUntilResend(now, policy);
      if (wait > 0) throw new OtpResendTooSoonError(wait);
      if (previous.isLocked(now)) throw new OtpLockedError();
    }
    return new OtpChallenge({
      citizenId,
      codeHash,
      sentAt: now,
      expiresAt: new Date(now.getTime() + policy.ttlSeconds * 1000),
      attempts: 0,
      maxAttempts: policy.maxAttempts,
      consumedAt: null,
      failures: previous?.props.failures ?? 0,
      lockedUntil: previous?.props.lockedUntil ?? null,
    });
  }

  static restore(props: OtpChallengeProps): OtpChallenge {
    return new OtpChallenge({ ...props });
  }

  get citizenId(): string {
    return this.props.citizenId;
  }
  get codeHash(): string {
    return this.props.codeHash;
  }
  get attempts(): number {
    return this.props.attempts;
  }
  get remainingAttempts(): number {
    return Math.max(0, this.props.maxAttempts - this.props.attempts);
  }
  get expiresAt(): Date {
    return this.props.expiresAt;
  }
  get consumedAt(): Date | null {
    return this.props.consumedAt;
  }

  get failures(): number {
    return this.props.failures;
  }
  get lockedUntil(): Date | null {
    return this.props.lockedUntil;
  }

  isLocked(now: Date): boolean {
    return this.props.lockedUntil !== null && now.getTime() < this.props.lockedUntil.getTime();
  }

  secondsUntilResend(now: Date, policy: OtpPolicy): number {
    const next = this.props.sentAt.getTime() + policy.resendAfterSeconds * 1000;
    return Math.max(0, Math.ceil((next - now.getTime()) / 1000));
  }

  /**
   * `matches` says whether the submitted code hashes to ours (done outside: hashing is a port).
   * Expired, consumed and exhausted codes are refused without counting, and without looking at
   * the code, so a correct guess after the limit is still refused.
   */
  check(matches: boolean, now: Date, policy: Pick<OtpPolicy, 'maxFailures' | 'lockSeconds'>): OtpCheck {
    if (this.isLocked(now)) return 'locked';
    if (this.props.consumedAt) return 'consumed';
    if (now.getTime() >= this.props.expiresAt.getTime()) return 'expired';
    if (this.props.attempts >= this.props.maxAttempts) return 'exhausted';
    this.props = { ...this.props, attempts: this.props.attempts + 1 };
    if (!matches) {
      const failures = this.props.failures + 1;
      const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockSeconds * 1000) : this.props.lockedUntil;
      this.props = { ...this.props, failures, lockedUntil };
      return 'mismatch';
    }
    this.props = { ...this.props, consumedAt: now, failures: 0, lockedUntil: null };
    return 'accepted';
  }

  toProps(): OtpChallengeProps {
    return { ...this.props };
  }
}
