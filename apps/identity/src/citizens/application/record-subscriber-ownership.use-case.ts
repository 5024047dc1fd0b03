import { Injectable } from '@nestjs/common';
import type { SubscriberOwnershipChangedV1 } from '@darvazeh/contracts';
import { isOperatorCode, parseMsisdn, parseNationalCode } from '@darvazeh/core';
import { SubscriberOwnershipInvalidError } from '../domain/citizen.errors.js';
import { SubscriberOwnershipRegistry } from '../domain/subscriber-ownership.js';

/** Keeps identity's Shahkar projection from the operators' `hamta.subscribers` feed. */
@Injectable()
export class RecordSubscriberOwnershipUseCase {
  constructor(private readonly registry: SubscriberOwnershipRegistry) {}

  async execute(event: SubscriberOwnershipChangedV1): Promise<void> {
    const msisdn = parseMsisdn(event.msisdn);
    const nationalCode = event.nationalCode === null ? null : parseNationalCode(event.nationalCode);
    const validFrom = new Date(event.validFrom);
    const validTo = event.validTo ? new Date(event.validTo) : null;
    const problems: { field: string; message: string }[] = [];
    if (!isOperatorCode(event.operatorCode)) problems.push({ field: 'operatorCode', message: 'is not a known operator' });
    if (!msisdn) problems.push({ field: 'msisdn', message: 'must be an Iranian mobile number' });
    if (nationalCode === undefined) problems.push({ field: 'nationalCode', message: 'must be a valid national code or null' });
    if (validTo && validTo.getTime() <= validFrom.getTime()) problems.push({ field: 'validTo', message: 'must be after validFrom' });
    if (problems.length > 0 || !msisdn || nationalCode === undefined || !isOperatorCode(event.operatorCode)) {
      throw new SubscriberOwnershipInvalidError(problems);
    }
    await this.registry.record({ operatorCode: event.operatorCode, msisdn, nationalCode, validFrom, validTo });
  }
}
