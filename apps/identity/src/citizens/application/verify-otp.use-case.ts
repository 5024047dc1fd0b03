import { Injectable } from '@nestjs/common';
import { parseNationalCode } from '@darvazeh/core';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { IdentitySettings } from '../../config/identity-settings.js';
import { AccessTokenSigner } from '../../signing-keys/application/access-token-signer.js';
import { NationalCodeInvalidError, OtpInvalidError } from '../domain/citizen.errors.js';
import { CitizenRepository, OtpChallengeRepository } from '../domain/citizen.repository.js';
import { OtpCodeHasher } from '../domain/otp-code.js';

export interface CitizenToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * Checks a login code and, if right, issues a citizen token. A failed check commits its
 * attempt count (and the account's failure count, which locks logins past OtpPolicy.maxFailures)
 * before the error is thrown — otherwise a rollback would give unlimited tries.
 */
@Injectable()
export class VerifyOtpUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly citizens: CitizenRepository,
    private readonly challenges: OtpChallengeRepository,
    private readonly hasher: OtpCodeHasher,
    private readonly signer: AccessTokenSigner,
    private readonly settings: IdentitySettings,
    private readonly clock: Clock,
  ) {}

  async execute(input: { nationalCode: string; code: string }): Promise<CitizenToken> {
    const nationalCode = parseNationalCode(input.nationalCode);
    if (!nationalCode) throw new NationalCodeInvalidError();
    const outcome = await this.tx.run(async () => {
      const citizen = await this.citizens.findByNationalCode(nationalCode);
      const challenge = citizen ? await this.challenges.findForUpdate(citizen.id) : null;
      if (!citizen || !challenge || !citizen.isActive) return { result: 'missing' as const };
      const matches = /^\d{6}$/.test(input.code) && this.hasher.matches(citizen.id, input.code, challenge.codeHash);
      const result = challenge.check(matches, this.clock.now(), this.settings.otp);
      await this.challenges.save(challenge);
      return { result, citizen };
    });
    if (outcome.result !== 'accepted') {
      throw new OtpInvalidError(outcome.result === 'consumed' ? 'expired' : outcome.result);
    }
    const signed = await this.signer.sign({
      sub: outcome.citizen.id,
      roles: ['citizen'],
      nationalCode: outcome.citizen.nationalCode,
      scope: [],
    });
    return { accessToken: signed.token, expiresIn: signed.expiresIn };
  }
}
