import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { GSB_CONNECTION_ACTIVATED_V1, type GsbConnectionActivatedV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter, type OutgoingEvent } from '@darvazeh/messaging';
import { GsbSettings } from '../../config/gsb-settings.js';
import { ConnectionRepository } from '../../connections/domain/connection.repository.js';
import { grantEvent } from '../../grants/application/grant-events.js';
import type { Grant } from '../../grants/domain/grant.js';
import { GrantRepository } from '../../grants/domain/grant.repository.js';
import { conflict, invalid, ruleViolation } from '../../shared/domain/gsb.errors.js';
import { actingRole, type Actor } from '../../shared/domain/actor.js';
import { dueTimes } from '../../review/domain/sla.js';
import { decisiveEnvironment, type Fix, type HistoryEntry, type RequestRecord } from '../domain/request.js';
import { decideTransition, GuardFailedError, type RequestAction, type Transition } from '../domain/request-workflow.js';
import { RequestRepository } from '../domain/request.repository.js';
import { RequestFacts } from './request-facts.js';
import { loadVisibleRequest } from './request-access.js';
import { transitioned } from './request-events.js';

export interface StepInput {
  comment?: string | null;
  /** `reject`: why. */
  reason?: string | null;
  /** `return`: what to fix. */
  fixes?: Fix[] | null;
  /** `approve` (final): the grant's terms; defaults from config / the request. */
  quotaPerMinute?: number | null;
  quotaPerDay?: number | null;
  validUntil?: Date | null;
}

export interface StepResult {
  request: RequestRecord;
  transition: Transition;
  grant: Grant | null;
}

/**
 * Takes one step of the process: loads the request under a row lock, gathers the facts its
 * guards need, lets the workflow table decide (decideTransition), applies the step's effects,
 * and writes the request, its history entry and its events — plus, on the final approval, the
 * grant (service request) or the connection (connection request) — in one transaction. The
 * steps differ only in their effects, listed in `applyEffects`; the rules are all in the table.
 */
@Injectable()
export class TakeStepUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(RequestFacts) private readonly facts: RequestFacts,
    @Inject(GrantRepository) private readonly grants: GrantRepository,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
    @Inject(GsbSettings) private readonly settings: GsbSettings,
  ) {}

  async execute(actor: Actor, id: string, action: RequestAction, input: StepInput = {}): Promise<StepResult> {
    return this.tx.run(async (m) => {
      const r = await loadVisibleRequest(this.requests, actor, id, true);
      const needsCompleteness = action === 'submit';
      const submit = needsCompleteness ? await this.facts.forSubmit(r) : null;
      const deficiencies = submit?.deficiencies ?? [];
      let t: Transition;
      try {
        t = decideTransition(action, r.state, {
          actor,
          request: { agencyId: r.agencyId, environment: decisiveEnvironment(r), claimedBy: r.claimedBy, firstApprovedBy: r.firstApprovedBy, evaluated: r.evaluation !== null && r.priority !== null },
          deficiencyCount: deficiencies.length,
          connected: submit?.connected,
          fourEyesPgsb: this.settings.fourEyesPgsb,
          reason: input.reason,
          fixes: input.fixes,
        });
      } catch (e) {
        // Step 12: the deficiency list travels with the refusal, and nothing was changed.
        if (e instanceof GuardFailedError && e.guard === 'noDeficiencies') {
          throw ruleViolation(e.code, `the request has ${deficiencies.length} deficienc${deficiencies.length === 1 ? 'y' : 'ies'}`, { hint: e.hint, errors: deficiencies });
        }
        throw e;
      }
      const now = new Date();
      const next: RequestRecord = { ...r, state: t.to, version: r.version + 1, updatedAt: now };
      const events: OutgoingEvent[] = [];
      const details: Record<string, unknown> = {};
      const grant = await this.applyEffects(t, next, actor, input, now, events, details);
      const h: HistoryEntry = {
        at: now,
        actor: actor.subject,
        actorRole: actingRole(actor, t.roles),
        action,
        fromState: r.state,
        toState: t.to,
        comment: input.comment?.trim() || input.reason?.trim() || null,
        details: Object.keys(details).length > 0 ? details : null,
      };
      await this.requests.saveWithHistory(next, h);
      await this.outbox.append(m, [transitioned(next, h), ...events]);
      return { request: next, transition: t, grant };
    });
  }

  private async applyEffects(
    t: Transition,
    r: RequestRecord,
    actor: Actor,
    input: StepInput,
    now: Date,
    events: OutgoingEvent[],
    details: Record<string, unknown>,
  ): Promise<Grant | null> {
    switch (t.action) {
      case 'submit': {
        const due = dueTimes(now, this.settings.sla);
        Object.assign(r, { submittedAt: now, claimDueAt: due.claimDueAt, decisionDueAt: due.decisionDueAt, claimEscalatedAt: null, decisionEscalatedAt: null });
        Object.assign(r, { claimedBy: null, claimedAt: null, firstApprovedBy: null, fixes: null, decisionReason: null });
        details.claimDueAt = due.claimDueAt.toISOString();
        details.decisionDueAt = due.decisionDueAt.toISOString();
        if (r.letterFile) details.letterSha256 = r.letterFile.sha256;
        return null;
      }
      case 'claim':
        r.claimedBy = actor.subject;
        r.claimedAt = now;
        return null;
      case 'release':
        details.releasedFrom = r.claimedBy;
        r.claimedBy = null;
        r.claimedAt = null;
        return null;
      case 'return':
        r.fixes = input.fixes ?? [];
        details.fixes = r.fixes;
        r.claimedBy = null;
        r.claimedAt = null;
        return null;
      case 'reject':
        r.decisionReason = input.reason?.trim() ?? null;
        return null;
      case 'withdraw':
        return null;
      case 'approve':
        if (t.to === 'PENDING_SECOND_APPROVAL') {
          r.firstApprovedBy = actor.subject;
          return null;
        }
        details.firstApprovedBy = r.firstApprovedBy;
        return r.kind === 'SERVICE' ? this.issueGrant(r, input, now, events, details) : this.activateConnection(r, now, events, details);
    }
  }

  private async issueGrant(r: RequestRecord, input: StepInput, now: Date, events: OutgoingEvent[], details: Record<string, unknown>): Promise<Grant> {
    // The catalog entry and the live-grant check in one lookup (the grants_live_key index backs the check).
    const { service, activeGrant } = await this.facts.lookup(r);
    if (!service || service.status !== 'ACTIVE') throw conflict('GSB.SERVICE_NOT_ACTIVE', `the service ${r.serviceCode} is no longer offered`, 'Reject the request, or wait until the provider reactivates the service.');
    if (activeGrant) {
      throw conflict('GSB.GRANT_EXISTS', 'the agency already holds a live grant for this service and environment', 'Reject this request as a duplicate.');
    }
    const d = this.settings.grantDefaults;
    const validUntil = input.validUntil === undefined ? new Date(now.getTime() + d.validityDays * 86_400_000) : input.validUntil;
    if (validUntil && validUntil <= now) throw invalid('GSB.VALIDITY_INVALID', 'validUntil must be in the future', [{ field: 'validUntil', message: 'must be after now' }]);
    const grant: Grant = {
      id: uuidv7(),
      requestId: r.id,
      consumerAgencyId: r.agencyId,
      providerAgencyId: service.providerAgencyId,
      serviceCode: service.code,
      environment: r.environment as Grant['environment'],
      status: 'ACTIVE',
      quotaPerMinute: input.quotaPerMinute === undefined ? (r.draft.requestedQuotaPerMinute ?? d.quotaPerMinute) : input.quotaPerMinute,
      quotaPerDay: input.quotaPerDay === undefined ? (r.draft.requestedQuotaPerDay ?? d.quotaPerDay) : input.quotaPerDay,
      validFrom: now,
      validUntil,
      version: 1,
      changedAt: now,
      reason: null,
    };
    await this.grants.insert(grant);
    events.push(grantEvent(grant, 'issued'));
    details.grantId = grant.id;
    return grant;
  }

  private async activateConnection(r: RequestRecord, now: Date, events: OutgoingEvent[], details: Record<string, unknown>): Promise<null> {
    const cred = r.draft.credential!;
    const credentialRef = (cred.type === 'MTLS_CERTIFICATE' ? cred.certificateSha256 : cred.clientId)!.toLowerCase();
    for (const env of r.draft.connectionEnvironments ?? []) {
      const environment = env as GsbConnectionActivatedV1['environment'];
      await this.connections.activate({
        agencyId: r.agencyId,
        environment,
        status: 'ACTIVE',
        requestId: r.id,
        ipRanges: r.draft.ipRanges ?? [],
        credential: { type: cred.type!, ref: credentialRef },
        activatedAt: now,
      });
      const data: GsbConnectionActivatedV1 = {
        agencyId: r.agencyId,
        environment,
        requestId: r.id,
        ipRanges: r.draft.ipRanges ?? [],
        credentialType: cred.type!,
        credentialRef,
        activatedAt: now.toISOString(),
      };
      events.push({ type: GSB_CONNECTION_ACTIVATED_V1, subject: `${r.agencyId}/${environment}`, data, time: now });
    }
    details.connectedEnvironments = r.draft.connectionEnvironments;
    return null;
  }
}
