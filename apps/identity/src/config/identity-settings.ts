import type { OtpPolicy } from '../citizens/domain/otp-challenge.js';
import type { KeyLifetimes } from '../signing-keys/domain/signing-key.js';

/**
 * The settings use cases need, as a plain injectable value: application code depends on this,
 * not on the env class, so unit tests build one without any environment.
 */
export class IdentitySettings {
  issuer!: string;
  audience!: string;
  tokenTtlSeconds!: number;
  clockSkewSeconds!: number;
  keyRotationIntervalSeconds!: number;
  otp!: OtpPolicy;

  static of(values: IdentitySettings): IdentitySettings {
    return Object.assign(new IdentitySettings(), values);
  }

  get keyLifetimes(): KeyLifetimes {
    return { tokenTtlSeconds: this.tokenTtlSeconds, clockSkewSeconds: this.clockSkewSeconds };
  }
}
