import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { SubscriberOwnershipChangedV1 } from '@darvazeh/contracts';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { InvalidInputError } from '../../shared/domain/hamta.errors.js';
import { OwnershipRepository } from '../domain/ownership.repository.js';
import { formatMsisdnNational, isValidNationalCode, parseMsisdn } from '@darvazeh/core';

/**
 * Shahkar-style ownership: a row per (MSISDN, validFrom). The owner at time t is the row with the
 * latest validFrom ≤ t (unless its validTo has passed), so changes may arrive in any order and a
 * redelivery overwrites a row with itself.
 */
@Injectable()
export class RecordOwnershipUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
    @Inject(OwnershipRepository) private readonly ownerships: OwnershipRepository,
  ) {}

  async execute(o: SubscriberOwnershipChangedV1): Promise<void> {
    const msisdn = parseMsisdn(o.msisdn);
    const problems: { field: string; message: string }[] = [];
    if (msisdn === undefined) problems.push({ field: 'msisdn', message: 'must be an Iranian mobile number' });
    if (o.nationalCode !== null && !isValidNationalCode(o.nationalCode)) problems.push({ field: 'nationalCode', message: 'check digit is wrong' });
    if (!this.settings.operatorPlmns[o.operatorCode]) problems.push({ field: 'operatorCode', message: `unknown operator ${o.operatorCode}` });
    if (o.validTo && new Date(o.validTo) <= new Date(o.validFrom)) problems.push({ field: 'validTo', message: 'must be after validFrom' });
    if (problems.length > 0) throw new InvalidInputError('HAMTA.OWNERSHIP_INVALID', 'the ownership record cannot be recorded', { errors: problems });
    await this.tx.run(async () => {
      // A new (msisdn, validFrom) from any operator is how a number moves between operators
      // (portability is this explicit event); a row already held by another operator is never
      // overwritten (issue 15.3), and the event is refused (dead-lettered) instead.
      const recorded = await this.ownerships.upsert({ msisdn: msisdn!, validFrom: o.validFrom, nationalCode: o.nationalCode, operatorCode: o.operatorCode, validTo: o.validTo ?? null });
      if (!recorded) {
        throw new InvalidInputError('HAMTA.OWNERSHIP_INVALID', `the ownership record of ${formatMsisdnNational(msisdn!)} from ${o.validFrom} belongs to another operator`, {
          errors: [{ field: 'operatorCode', message: 'another operator holds this (msisdn, validFrom) row; a port is a new validFrom' }],
        });
      }
    });
  }
}
