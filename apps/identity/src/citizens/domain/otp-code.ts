import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Port: makes the 6-digit code. Tests inject a fixed one. */
export abstract class OtpCodeGenerator {
  abstract generate(): string;
}

export class RandomOtpCodeGenerator extends OtpCodeGenerator {
  /** crypto.randomInt draws from the CSPRNG without modulo bias. */
  generate(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, '0');
  }
}

/**
 * Keyed hash of a login code. A slow hash would not help here: six digits are a million
 * guesses whatever the cost. HMAC with a server-side key (OTP_HASH_SECRET, not in the database)
 * means a leaked `otp_challenges` table alone reveals no live codes; binding the citizen id
 * stops a hash being replayed against another citizen's row.
 */
export class OtpCodeHasher {
  constructor(private readonly key: string) {}

  hash(citizenId: string, code: string): string {
    return createHmac('sha256', this.key).update(`${citizenId}:${code}`).digest('base64url');
  }

  matches(citizenId: string, code: string, stored: string): boolean {
    const actual = Buffer.from(this.hash(citizenId, code));
    const expected = Buffer.from(stored);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
