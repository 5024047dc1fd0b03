import { GSB_REQUEST_TRANSITIONED_V1, type GsbRequestTransitionedV1 } from '@darvazeh/contracts';
import type { OutgoingEvent } from '@darvazeh/messaging';
import type { HistoryEntry, RequestRecord } from '../domain/request.js';

/** The gsb.requests event of one history entry. */
export function transitioned(r: RequestRecord, h: HistoryEntry): OutgoingEvent {
  const data: GsbRequestTransitionedV1 = {
    requestId: r.id,
    kind: r.kind,
    agencyId: r.agencyId,
    serviceCode: r.serviceCode,
    environment: r.kind === 'SERVICE' && (r.environment === 'GSB' || r.environment === 'PGSB') ? r.environment : null,
    environments: (r.kind === 'SERVICE' ? (r.environment ? [r.environment] : []) : (r.draft.connectionEnvironments ?? [])).filter(
      (e): e is 'GSB' | 'PGSB' => e === 'GSB' || e === 'PGSB',
    ),
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
