import { OtpResendTooSoonError } from './citizen.errors.js';

export interface OtpPolicy {
  /** How long a code is valid (2 minutes). */
  ttlSeconds: number;
  /** Wrong guesses allowed per code (5). A 6-digit code then has a 5-in-a-million guess chance. */
  maxAttempts: number;
  /** Minimum gap between two sends to the same citizen (60 s): caps SMS cost and spam. */
  resendAfterSeconds: number;
}

export const DEFAULT_OTP_POLICY: OtpPolicy = { ttlSeconds: 120, maxAttempts: 5, resendAfterSeconds: 60 };

export interface OtpChallengeProps {
  citizenId: string;
  codeHash: string;
  sentAt: Date;
  expiresAt: Date;
  attempts: number;
  maxAttempts: number;
  consumedAt: Date | null;
}

export type OtpCheck = 'accepted' | 'mismatch' | 'expired' | 'exhausted' | 'consumed';

/**
 * The one live login code of a citizen. Issuing a new code replaces the old one (so only the
 * latest SMS works). Every check counts, right or wrong, and the caller must persist the
 * challenge after `check` even when it fails — otherwise attempts would not add up.
 */
export class OtpChallenge {
  private constructor(private props: OtpChallengeProps) {}

  static issue(citizenId: string, codeHash: string, now: Date, policy: OtpPolicy, previous: OtpChallenge | null): OtpChallenge {
    if (previous) {
      const wait = previous.secondsUntilResend(now, policy);
      if (wait > 0) throw new OtpResendTooSoonError(wait);
    }
    return new OtpChallenge({
      citizenId,
      codeHash,
      sentAt: now,
      expiresAt: new Date(now.getTime() + policy.ttlSeconds * 1000),
      attempts: 0,
      maxAttempts: policy.maxAttempts,
      consumedAt: null,
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

  secondsUntilResend(now: Date, policy: OtpPolicy): number {
    const next = this.props.sentAt.getTime() + policy.resendAfterSeconds * 1000;
    return Math.max(0, Math.ceil((next - now.getTime()) / 1000));
  }

  /**
   * `matches` says whether the submitted code hashes to ours (done outside: hashing is a port).
   * Expired, consumed and exhausted codes are refused without counting, and without looking at
   * the code, so a correct guess after the limit is still refused.
   */
  check(matches: boolean, now: Date): OtpCheck {
    if (this.props.consumedAt) return 'consumed';
    if (now.getTime() >= this.props.expiresAt.getTime()) return 'expired';
    if (this.props.attempts >= this.props.maxAttempts) return 'exhausted';
    this.props = { ...this.props, attempts: this.props.attempts + 1 };
    if (!matches) return 'mismatch';
    this.props = { ...this.props, consumedAt: now };
    return 'accepted';
  }

  toProps(): OtpChallengeProps {
    return { ...this.props };
  }
}
