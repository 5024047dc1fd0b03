import {
  GSB_GRANT_ISSUED_V1,
  GSB_GRANT_REINSTATED_V1,
  GSB_GRANT_REVOKED_V1,
  GSB_GRANT_SUSPENDED_V1,
  type GsbGrantStateV1,
} from '@darvazeh/contracts';
import type { OutgoingEvent } from '@darvazeh/messaging';
import type { Grant } from '../domain/grant.js';

const TYPES = { issued: GSB_GRANT_ISSUED_V1, suspend: GSB_GRANT_SUSPENDED_V1, reinstate: GSB_GRANT_REINSTATED_V1, revoke: GSB_GRANT_REVOKED_V1 } as const;

/** The gsb.grants event of a grant's new state (the whole state; the gateway keeps the highest version). */
export function grantEvent(g: Grant, what: keyof typeof TYPES): OutgoingEvent {
  const data: GsbGrantStateV1 = {
    grantId: g.id,
    requestId: g.requestId,
    consumerAgencyId: g.consumerAgencyId,
    providerAgencyId: g.providerAgencyId,
    serviceCode: g.serviceCode,
    environment: g.environment,
    status: g.status,
    quotaPerMinute: g.quotaPerMinute,
    quotaPerDay: g.quotaPerDay,
    validFrom: g.validFrom.toISOString(),
    validUntil: g.validUntil?.toISOString() ?? null,
    version: g.version,
    changedAt: g.changedAt.toISOString(),
    reason: g.reason,
  };
  return { type: TYPES[what], subject: g.id, data, time: g.changedAt };
}
