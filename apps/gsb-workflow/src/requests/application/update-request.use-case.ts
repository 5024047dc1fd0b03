import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { CatalogRepository } from '../../catalog/domain/catalog.repository.js';
import { conflict, invalid } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { EDITABLE_STATES, type HistoryEntry, type RequestRecord } from '../domain/request.js';
import { changedFields } from '../domain/request-edits.js';
import { RequestRepository } from '../domain/request.repository.js';
import { applyPatch, foreignFields, type RequestPatch } from './request-patch.js';
import { loadOwnRequest } from './request-access.js';
import { edited } from './request-events.js';

/**
 * The applicant fills in or corrects its request, any fields in any order (steps 6–10, 13).
 * Each edit that changes something is a history entry (`edit`, state unchanged, the paths of
 * the changed fields) and a `gsb.request.edited` event, written with the request in one
 * transaction; a PATCH that changes nothing writes nothing.
 */
@Injectable()
export class UpdateRequestUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
  ) {}

  async execute(actor: Actor, id: string, patch: RequestPatch): Promise<RequestRecord> {
    return this.tx.run(async (m) => {
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
      const fields = changedFields(current, next);
      if (fields.length === 0 && next.providerAgencyId === current.providerAgencyId) return current;
      const now = new Date();
      next.updatedAt = now;
      next.version = current.version + 1;
      if (fields.length === 0) {
        // Only the provider the catalog names for the service changed: not an edit by the applicant.
        await this.requests.save(next);
        return next;
      }
      const h: HistoryEntry = { at: now, actor: actor.subject, actorRole: 'agency', action: 'edit', fromState: current.state, toState: current.state, comment: null, details: { fields } };
      await this.requests.saveWithHistory(next, h);
      await this.outbox.append(m, [edited(next, h, fields)]);
      return next;
    });
  }
}
