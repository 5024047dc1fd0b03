import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { OutboxWriter } from '@darvazeh/messaging';
import { invalid, ruleViolation } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import type { RequestKind } from '../domain/deficiencies.js';
import { EMPTY_DRAFT, type HistoryEntry, type RequestRecord } from '../domain/request.js';
import { GUARD_ERROR_CODES } from '../domain/request-workflow.js';
import { RequestRepository } from '../domain/request.repository.js';
import { applyPatch, foreignFields, type RequestPatch } from './request-patch.js';
import { RequestFacts } from './request-facts.js';
import { transitioned } from './request-events.js';

/**
 * Starts a request as a DRAFT of the caller's agency (steps 3 and 6). A service request is
 * stopped here (steps 4–5) when the agency has no active connection to the chosen environment —
 * or to any, when none is chosen yet — with the connection process as the next action.
 */
@Injectable()
export class CreateRequestUseCase {
  constructor(
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(RequestFacts) private readonly facts: RequestFacts,
  ) {}

  async execute(actor: Actor & { agencyId: string }, kind: RequestKind, patch: RequestPatch): Promise<RequestRecord> {
    const foreign = foreignFields(kind, patch);
    if (foreign.length > 0) {
      throw invalid('GSB.FIELD_NOT_OF_KIND', `a ${kind.toLowerCase()} request has no ${foreign.join(', ')}`, foreign.map((f) => ({ field: f, message: `not a field of a ${kind} request` })));
    }
    const now = new Date();
    const r: RequestRecord = applyPatch(
      {
        id: uuidv7(),
        kind,
        agencyId: actor.agencyId,
        createdBy: actor.subject,
        state: 'DRAFT',
        environment: null,
        serviceCode: null,
        providerAgencyId: null,
        draft: EMPTY_DRAFT,
        letterFile: null,
        evaluation: null,
        priority: null,
        claimedBy: null,
        claimedAt: null,
        firstApprovedBy: null,
        fixes: null,
        decisionReason: null,
        submittedAt: null,
        claimDueAt: null,
        decisionDueAt: null,
        claimEscalatedAt: null,
        decisionEscalatedAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      patch,
    );
    if (kind === 'SERVICE') {
      // One lookup: the agency's connections (steps 4–5) and the service's provider.
      const { connectedEnvironments: connected, service } = await this.facts.lookup(r);
      const env = patch.environment ?? null;
      if ((env && !connected.includes(env)) || connected.length === 0) {
        const spec = GUARD_ERROR_CODES.connected;
        throw ruleViolation(spec.code, env ? `your agency has no active connection to ${env}` : 'your agency has no active connection to GSB or PGSB', {
          hint: spec.hint,
          errors: [{ field: 'environment', message: 'connect first: POST /connections/requests, then send it to the expert' }],
        });
      }
      r.providerAgencyId = service?.providerAgencyId ?? null;
    }
    // The request, its first history entry and its event: one statement, its own transaction.
    const h: HistoryEntry = { at: now, actor: actor.subject, actorRole: 'agency', action: 'create', fromState: null, toState: 'DRAFT', comment: null, details: null };
    await this.requests.commitStep({ request: r, readVersion: null, history: h, events: this.outbox.render([transitioned(r, h)]) });
    this.outbox.written();
    return r;
  }
}
