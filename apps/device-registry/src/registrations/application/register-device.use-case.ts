import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { DEVICE_REGISTERED_V1, DEVICE_REGISTRATION_REJECTED_V1 } from '@darvazeh/contracts';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { ConflictError, InvalidInputError } from '../../shared/domain/hamta.errors.js';
import { parseMsisdn } from '@darvazeh/core';
import { decideRegistration, parseRequestedImeis, type ImeiFacts, type Reason } from '../domain/registration.js';
import { RegistrationRepository } from '../domain/registration.repository.js';

export interface RegisterDeviceInput {
  nationalCode: string;
  imeis: string[];
  msisdn: string;
  idempotencyKey?: string;
}

export interface RegistrationView {
  registrationId: string;
  decision: 'approved' | 'rejected';
  deviceId: string | null;
  imeis: string[];
  msisdn: string;
  reasons: Reason[];
  decidedAt: Date;
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * Decides a pre-scheme registration and records it — approved or rejected — with its event, in one
 * transaction. The IMEIs are advisory-locked first so two people racing for one device get one
 * approval and one HAMTA.ALREADY_REGISTERED. A retried request with the same Idempotency-Key gets
 * the stored decision back instead of a second one.
 */
@Injectable()
export class RegisterDeviceUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RegistrationRepository) private readonly registrations: RegistrationRepository,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
    @Inject(EirIndexEffects) private readonly eirIndex: EirIndexEffects,
  ) {}

  async execute(input: RegisterDeviceInput): Promise<RegistrationView> {
    const msisdn = parseMsisdn(input.msisdn);
    if (msisdn === undefined) {
      throw new InvalidInputError('HAMTA.MSISDN_INVALID', `"${input.msisdn}" is not an Iranian mobile number`, {
        hint: 'Enter the mobile number as 09xxxxxxxxx.',
        errors: [{ field: 'msisdn', message: 'must be an Iranian mobile number such as 09121234567' }],
      });
    }
    const fingerprint = createHash('sha256').update(JSON.stringify([input.imeis, msisdn])).digest('hex');
    const view = await this.tx.run(async (m) => {
      if (input.idempotencyKey) {
        await this.registrations.lockIdempotencyKey(input.nationalCode, input.idempotencyKey);
        const earlier = await this.find(input.nationalCode, input.idempotencyKey);
        if (earlier) {
          if (earlier.fingerprint !== fingerprint) {
            throw new ConflictError(
              'HAMTA.IDEMPOTENCY_KEY_REUSED',
              'this Idempotency-Key was used for a different registration request',
              'Use a new Idempotency-Key for a new request.',
            );
          }
          return earlier.view;
        }
      }
      return this.decideAndRecord(m, input, msisdn, fingerprint);
    });
    return view;
  }

  private async decideAndRecord(m: EntityManager, input: RegisterDeviceInput, msisdn: string, fingerprint: string): Promise<RegistrationView> {
    const parsed = parseRequestedImeis(input.imeis);
    const cores = parsed.valid.map((v) => v.core);
    // The valid IMEIs and the SIM are judged even when another IMEI is invalid: every failing rule is listed.
    if (cores.length > 0) await this.registrations.lockImeis(cores);
    const known = await this.registrations.facts(cores, msisdn, input.nationalCode, this.settings.cutoffDate);
    const facts: ImeiFacts[] = parsed.valid.map((v) => {
      const s = known.seen.get(v.core);
      const d = known.devices.get(v.core);
      return {
        core: v.core,
        imei: v.imei,
        seenBeforeCutoff: s?.seen ?? false,
        seenBeforeCutoffWithMsisdn: s?.seenWith ?? false,
        seenBeforeCutoffWithMsisdnOwned: s?.seenOwned ?? false,
        registeredTo: d?.owner ?? null,
        stolen: d?.stolen ?? false,
        blocked: d?.blocked ?? false,
      };
    });
    const decided = decideRegistration({ nationalCode: input.nationalCode, msisdn, msisdnOwner: known.msisdnOwner, imeis: facts, cutoffDate: this.settings.cutoffDate });
    const reasons: Reason[] = [...parsed.invalid, ...decided.reasons];
    const registrationId = uuidv7();
    const at = new Date();
    const approved = reasons.length === 0;
    const deviceId = approved ? uuidv7() : null;
    const imeis = approved ? parsed.valid.map((v) => v.imei) : input.imeis;
    await this.registrations.record({
      id: registrationId,
      nationalCode: input.nationalCode,
      idempotencyKey: input.idempotencyKey ?? null,
      fingerprint,
      msisdn,
      imeis,
      reasons,
      at,
      device: deviceId ? { id: deviceId, cores } : null,
    });
    await this.outbox.append(m, [
      approved
        ? {
            type: DEVICE_REGISTERED_V1,
            subject: deviceId!,
            data: { deviceId, registrationId, ownerNationalCode: input.nationalCode, imeis, msisdn, registeredAt: at.toISOString() },
          }
        : {
            type: DEVICE_REGISTRATION_REJECTED_V1,
            subject: registrationId,
            data: {
              registrationId,
              ownerNationalCode: input.nationalCode,
              imeis: imeis.map((i) => i.slice(0, 64)),
              msisdn,
              reasons: reasons.map((r) => ({ code: r.code, message: r.message })),
              decidedAt: at.toISOString(),
            },
          },
    ]);
    if (approved) this.eirIndex.deviceRegistered(cores, at);
    return { registrationId, decision: approved ? 'approved' : 'rejected', deviceId, imeis, msisdn, reasons, decidedAt: at, replayed: false };
  }

  private async find(nationalCode: string, key: string): Promise<{ fingerprint: string; view: RegistrationView } | null> {
    const r = await this.registrations.findByIdempotencyKey(nationalCode, key);
    if (!r) return null;
    return {
      fingerprint: r.fingerprint,
      view: {
        registrationId: r.id,
        decision: r.outcome,
        deviceId: r.device_id,
        imeis: r.imeis,
        msisdn: r.msisdn,
        reasons: r.reasons,
        decidedAt: new Date(r.created_at),
        replayed: true,
      },
    };
  }
}
