import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { COMPANY_REPRESENTATIVE_REGISTERED_V1, COMPANY_REPRESENTATIVE_REVOKED_V1, type CompanyMandateChangedV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { Clock } from '../../shared/domain/clock.js';
import { MandateRepository } from '../domain/directory.repository.js';
import { KarpooshehError, invalid } from '../../shared/domain/karpoosheh.errors.js';
import { parseRecipient } from '../../shared/domain/recipient-id.js';

/** Company representatives (mandates): registered or revoked by an admin, one event each. */
@Injectable()
export class MandatesUseCases {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(MandateRepository) private readonly mandates: MandateRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async register(companyIdInput: string, representativeInput: string, actor: string) {
    const company = parseRecipient(companyIdInput);
    const rep = parseRecipient(representativeInput);
    const problems = [];
    if (!company || company.kind !== 'company') problems.push({ field: 'companyId', message: 'not a valid 11-digit company national ID' });
    if (!rep || rep.kind !== 'citizen') problems.push({ field: 'representativeNationalCode', message: 'not a valid 10-digit national code' });
    if (problems.length) throw invalid('KARPOOSHEH.MANDATE_INVALID', 'The mandate is not valid.', problems);
    return this.tx.run(async (m) => {
      const now = this.clock.now();
      const mandateId = uuidv7();
      const inserted = await this.mandates.insert({ mandateId, companyId: company!.id, representative: rep!.id, createdBy: actor, at: now });
      if (!inserted) throw new KarpooshehError('KARPOOSHEH.MANDATE_EXISTS', 'conflict', 'This citizen already represents this company.');
      const data: CompanyMandateChangedV1 = { mandateId, companyId: company!.id, representativeNationalCode: rep!.id, actor, at: now.toISOString() };
      await this.outbox.append(m, [{ type: COMPANY_REPRESENTATIVE_REGISTERED_V1, subject: company!.id, data, time: now }]);
      return { mandateId, companyId: company!.id, representativeNationalCode: rep!.id, createdAt: now.toISOString() };
    });
  }

  async revoke(mandateId: string, actor: string) {
    return this.tx.run(async (m) => {
      const now = this.clock.now();
      const revoked = await this.mandates.revoke(mandateId, now);
      if (!revoked) throw new KarpooshehError('KARPOOSHEH.MANDATE_NOT_FOUND', 'not_found', 'No such active mandate.');
      const data: CompanyMandateChangedV1 = { mandateId, companyId: revoked.company_id, representativeNationalCode: revoked.representative_national_code, actor, at: now.toISOString() };
      await this.outbox.append(m, [{ type: COMPANY_REPRESENTATIVE_REVOKED_V1, subject: revoked.company_id, data, time: now }]);
    });
  }

  async mine(nationalCode: string): Promise<{ companyId: string; mandateId: string }[]> {
    const rows = await this.mandates.activeOf(nationalCode);
    return rows.map((r) => ({ companyId: r.company_id, mandateId: r.mandate_id }));
  }
}
