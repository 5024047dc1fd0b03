import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { IdentitySettings } from '../../config/identity-settings.js';
import { CitizenNotFoundError, NationalCodeInvalidError, SmsDeliveryFailedError } from '../domain/citizen.errors.js';
import { CitizenRepository, OtpChallengeRepository } from '../domain/citizen.repository.js';
import { maskMobile } from '../domain/mobile-number.js';
import { parseNationalCode } from '../domain/national-code.js';
import { OtpChallenge } from '../domain/otp-challenge.js';
import { OtpCodeGenerator, OtpCodeHasher } from '../domain/otp-code.js';
import { SmsSender } from '../domain/sms-sender.js';

export interface OtpRequested {
  sentTo: string;
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

/**
 * Sends a login code to the citizen's registered mobile. The SMS goes out inside the
 * transaction: if the gateway refuses it, the challenge (and with it the resend throttle)
 * rolls back, so the citizen can retry at once instead of waiting for a code that never came.
 */
@Injectable()
export class RequestOtpUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly citizens: CitizenRepository,
    private readonly challenges: OtpChallengeRepository,
    private readonly generator: OtpCodeGenerator,
    private readonly hasher: OtpCodeHasher,
    private readonly sms: SmsSender,
    private readonly settings: IdentitySettings,
    private readonly clock: Clock,
  ) {}

  async execute(input: { nationalCode: string }): Promise<OtpRequested> {
    const nationalCode = parseNationalCode(input.nationalCode);
    if (!nationalCode) throw new NationalCodeInvalidError();
    return this.tx.run(async () => {
      const citizen = await this.citizens.findByNationalCode(nationalCode);
      if (!citizen || !citizen.isActive) throw new CitizenNotFoundError();
      const policy = this.settings.otp;
      const previous = await this.challenges.findForUpdate(citizen.id);
      const code = this.generator.generate();
      const challenge = OtpChallenge.issue(citizen.id, this.hasher.hash(citizen.id, code), this.clock.now(), policy, previous);
      await this.challenges.save(challenge);
      try {
        await this.sms.send(citizen.mobile, `Darvazeh login code: ${code} (valid ${Math.round(policy.ttlSeconds / 60)} min). Never share it.`);
      } catch (error) {
        throw error instanceof SmsDeliveryFailedError ? error : new SmsDeliveryFailedError(error);
      }
      return {
        sentTo: maskMobile(citizen.mobile),
        expiresInSeconds: policy.ttlSeconds,
        resendAfterSeconds: policy.resendAfterSeconds,
      };
    });
  }
}
