import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { GSB_CONNECTION_ACTIVATED_V1, type GsbConnectionActivatedV1 } from '@darvazeh/contracts';
import { OutboxWriter, type OutgoingEvent } from '@darvazeh/messaging';
import { GsbSettings } from '../../config/gsb-settings.js';
import type { Connection } from '../../connections/domain/connection.repository.js';
import { grantEvent } from '../../grants/application/grant-events.js';
import type { Grant } from '../../grants/domain/grant.js';
import { conflict, invalid, ruleViolation } from '../../shared/domain/gsb.errors.js';
import { actingRole, type Actor } from '../../shared/domain/actor.js';
import { dueTimes } from '../../review/domain/sla.js';
import { decisiveEnvironment, type Fix, type HistoryEntry, type RequestRecord } from '../domain/request.js';
import { decideTransition, GuardFailedError, type RequestAction, type Transition } from '../domain/request-workflow.js';
import type { RequestFactsSnapshot } from '../domain/request-facts.repository.js';
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

/** Attempts of a step whose request another caller changed between its read and its write. */
const STEP_ATTEMPTS = 5;

/** What applyEffects adds to a step's write: the grant or the connections of a final approval. */
interface StepEffects {
  grant: Grant | null;
  connections: Connection[];
}

/**
 * Takes one step of the process: reads the request with the facts its guards need, lets the
 * workflow table decide (decideTransition), applies the step's effects, and writes the request,
 * its history entry and its events — plus, on the final approval, the grant (service request)
 * or the connection (connection request) — as one statement (`commitStep`), which is its own
 * transaction. The steps differ only in their effects, listed in `applyEffects`; the rules are
 * all in the table.
 *
 * Why no explicit transaction with a row lock: a step is one read and one write, so BEGIN, a
 * locking SELECT and COMMIT would be three more round trips on every step (the benchmark's
 * steps spent more time in socket writes than in anything else). The write applies only if the
 * request is still at the version the step read (optimistic concurrency); if another caller
 * changed it meanwhile nothing is written and the step is decided again on a fresh read — what
 * waiting for the row lock gave, a refusal when the new state no longer allows the step.
 */
@Injectable()
export class TakeStepUseCase {
  constructor(
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(RequestFacts) private readonly facts: RequestFacts,
    @Inject(GsbSettings) private readonly settings: GsbSettings,
  ) {}

  async execute(actor: Actor, id: string, action: RequestAction, input: StepInput = {}): Promise<StepResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(actor, id, action, input);
      if (result) return result;
      if (attempt === STEP_ATTEMPTS) {
        throw conflict('GSB.CONCURRENT_CHANGE', `request ${id} kept changing while this step was taken`, 'Read the request again and retry the step.');
      }
    }
  }

  /** One read–decide–write; null when the request changed between the read and the write. */
  private async attempt(actor: Actor, id: string, action: RequestAction, input: StepInput): Promise<StepResult | null> {
    // Submit and approve need the facts (deficiencies, connection, catalog entry, live grant): read with the request.
    const withFacts = action === 'submit' || action === 'approve';
    const { request: r, facts } = withFacts ? await this.facts.visibleRequestWithFacts(actor, id) : { request: await loadVisibleRequest(this.requests, actor, id), facts: null };
    const submit = action === 'submit' ? this.facts.evaluate(r, facts!) : null;
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
    const effects = this.applyEffects(t, next, actor, input, now, events, details, facts);
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
    const written = await this.requests.commitStep({
      request: next,
      readVersion: r.version,
      history: h,
      events: this.outbox.render([transitioned(next, h), ...events]),
      grant: effects.grant ?? undefined,
      connections: effects.connections,
    });
    if (!written) return null;
    this.outbox.written();
    return { request: next, transition: t, grant: effects.grant };
  }

  private applyEffects(
    t: Transition,
    r: RequestRecord,
    actor: Actor,
    input: StepInput,
    now: Date,
    events: OutgoingEvent[],
    details: Record<string, unknown>,
    facts: RequestFactsSnapshot | null,
  ): StepEffects {
    const none: StepEffects = { grant: null, connections: [] };
    switch (t.action) {
      case 'submit': {
        const due = dueTimes(now, this.settings.sla);
        Object.assign(r, { submittedAt: now, claimDueAt: due.claimDueAt, decisionDueAt: due.decisionDueAt, claimEscalatedAt: null, decisionEscalatedAt: null });
        Object.assign(r, { claimedBy: null, claimedAt: null, firstApprovedBy: null, fixes: null, decisionReason: null });
        details.claimDueAt = due.claimDueAt.toISOString();
        details.decisionDueAt = due.decisionDueAt.toISOString();
        if (r.letterFile) details.letterSha256 = r.letterFile.sha256;
        return none;
      }
      case 'claim':
        r.claimedBy = actor.subject;
        r.claimedAt = now;
        return none;
      case 'release':
        details.releasedFrom = r.claimedBy;
        r.claimedBy = null;
        r.claimedAt = null;
        return none;
      case 'return':
        r.fixes = input.fixes ?? [];
        details.fixes = r.fixes;
        r.claimedBy = null;
        r.claimedAt = null;
        return none;
      case 'reject':
        r.decisionReason = input.reason?.trim() ?? null;
        return none;
      case 'withdraw':
        return none;
      case 'approve':
        if (t.to === 'PENDING_SECOND_APPROVAL') {
          r.firstApprovedBy = actor.subject;
          return none;
        }
        details.firstApprovedBy = r.firstApprovedBy;
        return r.kind === 'SERVICE' ? { grant: this.issueGrant(r, input, now, events, details, facts), connections: [] } : { grant: null, connections: this.activateConnection(r, now, events, details) };
    }
  }

  private issueGrant(r: RequestRecord, input: StepInput, now: Date, events: OutgoingEvent[], details: Record<string, unknown>, facts: RequestFactsSnapshot | null): Grant {
    // The catalog entry and the live-grant check come with the step's read (the grants_live_key index backs the check).
    if (!facts) throw new Error('an approval reads the request with its facts');
    const { service, activeGrant } = facts;
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
    events.push(grantEvent(grant, 'issued'));
    details.grantId = grant.id;
    return grant;
  }

  private activateConnection(r: RequestRecord, now: Date, events: OutgoingEvent[], details: Record<string, unknown>): Connection[] {
    const connections: Connection[] = [];
    const cred = r.draft.credential!;
    const credentialRef = (cred.type === 'MTLS_CERTIFICATE' ? cred.certificateSha256 : cred.clientId)!.toLowerCase();
    for (const env of r.draft.connectionEnvironments ?? []) {
      const environment = env as GsbConnectionActivatedV1['environment'];
      connections.push({
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
    return connections;
  }
}
