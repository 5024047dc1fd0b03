import { Injectable } from '@nestjs/common';
import { formatMsisdnNational, parseNationalCode } from '@darvazeh/core';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { IdentitySettings } from '../../config/identity-settings.js';
import { NationalCodeInvalidError, OtpResendTooSoonError, SmsDeliveryFailedError } from '../domain/citizen.errors.js';
import { CitizenRepository, OtpChallengeRepository } from '../domain/citizen.repository.js';
import { OtpChallenge } from '../domain/otp-challenge.js';
import { OtpCodeGenerator, OtpCodeHasher } from '../domain/otp-code.js';
import { OtpSendThrottle } from '../domain/otp-send-throttle.js';
import { SmsSender } from '../domain/sms-sender.js';

/** The same answer for every well-formed national code: it does not say who is registered. */
export interface OtpRequested {
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

/**
 * Sends a login code to the citizen's registered mobile. Registered or not, disabled or locked,
 * the caller gets the same answer (and the same 429 within the resend period, counted per
 * national code for all of them); only a registered, active, unlocked citizen gets an SMS.
 *
 * The SMS goes out inside the transaction: if the gateway refuses it, the challenge rolls back
 * and the send is refunded, so the citizen can retry at once instead of waiting for a code that
 * never came.
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
    private readonly throttle: OtpSendThrottle,
    private readonly settings: IdentitySettings,
    private readonly clock: Clock,
  ) {}

  async execute(input: { nationalCode: string }): Promise<OtpRequested> {
    const nationalCode = parseNationalCode(input.nationalCode);
    if (!nationalCode) throw new NationalCodeInvalidError();
    const policy = this.settings.otp;
    const answer: OtpRequested = { expiresInSeconds: policy.ttlSeconds, resendAfterSeconds: policy.resendAfterSeconds };
    const send = await this.throttle.take(nationalCode);
    if (!send.allowed) throw new OtpResendTooSoonError(send.retryAfterSeconds);
    try {
      await this.tx.run(async () => {
        const citizen = await this.citizens.findByNationalCode(nationalCode);
        if (!citizen || !citizen.isActive) return;
        const now = this.clock.now();
        const previous = await this.challenges.findForUpdate(citizen.id);
        if (previous?.isLocked(now)) return;
        const code = this.generator.generate();
        const challenge = OtpChallenge.issue(citizen.id, this.hasher.hash(citizen.id, code), now, policy, previous);
        await this.challenges.save(challenge);
        const minutes = Math.round(policy.ttlSeconds / 60);
        await this.sms.send(formatMsisdnNational(citizen.mobile), `Darvazeh login code: ${code} (valid ${minutes} min). Never share it.`);
      });
    } catch (error) {
      await this.throttle.refund(nationalCode);
      if (error instanceof OtpResendTooSoonError) throw error;
      throw error instanceof SmsDeliveryFailedError ? error : new SmsDeliveryFailedError(error);
    }
    return answer;
  }
}
