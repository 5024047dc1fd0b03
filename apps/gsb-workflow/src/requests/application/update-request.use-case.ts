import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { CatalogRepository } from '../../catalog/domain/catalog.repository.js';
import { conflict, invalid } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { EDITABLE_STATES, type RequestRecord } from '../domain/request.js';
import { RequestRepository } from '../domain/request.repository.js';
import { applyPatch, foreignFields, type RequestPatch } from './request-patch.js';
import { loadOwnRequest } from './request-access.js';

/** The applicant fills in or corrects its request, any fields in any order (steps 6–10, 13). */
@Injectable()
export class UpdateRequestUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
  ) {}

  async execute(actor: Actor, id: string, patch: RequestPatch): Promise<RequestRecord> {
    return this.tx.run(async () => {
      const current = await loadOwnRequest(this.requests, actor, id, true);
      if (!EDITABLE_STATES.includes(current.state)) {
        throw conflict('GSB.REQUEST_NOT_EDITABLE', `a request in state ${current.state} cannot be edited`, 'Only drafts and requests returned for correction can be changed.');
      }
      const foreign = foreignFields(current.kind, patch);
      if (foreign.length > 0) {
        throw invalid('GSB.FIELD_NOT_OF_KIND', `a ${current.kind.toLowerCase()} request has no ${foreign.join(', ')}`, foreign.map((f) => ({ field: f, message: `not a field of a ${current.kind} request` })));
      }
      const next = applyPatch(current, patch);
      if (next.serviceCode !== current.serviceCode || next.providerAgencyId === null) {
        next.providerAgencyId = next.serviceCode ? ((await this.catalog.find(next.serviceCode))?.providerAgencyId ?? null) : null;
      }
      next.updatedAt = new Date();
      await this.requests.save(next);
      return next;
    });
  }
}
