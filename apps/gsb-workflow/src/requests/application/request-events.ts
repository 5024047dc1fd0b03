import { GSB_REQUEST_EDITED_V1, GSB_REQUEST_TRANSITIONED_V1, type GsbRequestEditedV1, type GsbRequestTransitionedV1 } from '@darvazeh/contracts';
import type { OutgoingEvent } from '@darvazeh/messaging';
import type { HistoryEntry, RequestRecord } from '../domain/request.js';

const isEnvironment = (e: string | null): e is 'GSB' | 'PGSB' => e === 'GSB' || e === 'PGSB';

function environmentsOf(r: RequestRecord): { environment: 'GSB' | 'PGSB' | null; environments: ('GSB' | 'PGSB')[] } {
  return {
    environment: r.kind === 'SERVICE' && isEnvironment(r.environment) ? r.environment : null,
    environments: (r.kind === 'SERVICE' ? (r.environment ? [r.environment] : []) : (r.draft.connectionEnvironments ?? [])).filter(isEnvironment),
  };
}

/** The gsb.requests event of one history entry of a step (create, submit, claim…). */
export function transitioned(r: RequestRecord, h: HistoryEntry): OutgoingEvent {
  const data: GsbRequestTransitionedV1 = {
    requestId: r.id,
    kind: r.kind,
    agencyId: r.agencyId,
    serviceCode: r.serviceCode,
    ...environmentsOf(r),
    action: h.action as GsbRequestTransitionedV1['action'],
    fromState: h.fromState,
    toState: h.toState,
    actor: h.actor,
    actorRole: h.actorRole,
    comment: h.comment,
    fixes: h.action === 'return' ? (r.fixes ?? []) : null,
    version: r.version,
    at: h.at.toISOString(),
  };
  return { type: GSB_REQUEST_TRANSITIONED_V1, subject: r.id, data, time: h.at };
}

/** The gsb.requests event of an `edit` history entry: which fields changed, not their values. */
export function edited(r: RequestRecord, h: HistoryEntry, fields: string[]): OutgoingEvent {
  const data: GsbRequestEditedV1 = {
    requestId: r.id,
    kind: r.kind,
    agencyId: r.agencyId,
    serviceCode: r.serviceCode,
    ...environmentsOf(r),
    state: r.state,
    fields,
    actor: h.actor,
    actorRole: h.actorRole,
    version: r.version,
    at: h.at.toISOString(),
  };
  return { type: GSB_REQUEST_EDITED_V1, subject: r.id, data, time: h.at };
}
