import { GsbError } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';

export const GRANT_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export type GrantAction = 'suspend' | 'reinstate' | 'revoke';

/** An access grant: a consumer agency may call a provider's service on GSB or PGSB. */
export interface Grant {
  id: string;
  requestId: string | null;
  consumerAgencyId: string;
  providerAgencyId: string;
  serviceCode: string;
  environment: 'GSB' | 'PGSB';
  status: GrantStatus;
  quotaPerMinute: number | null;
  quotaPerDay: number | null;
  validFrom: Date;
  validUntil: Date | null;
  version: number;
  changedAt: Date;
  reason: string | null;
}

/** A grant's life, as a table like the request's: suspend ⇄ reinstate, revoke is final. */
export const GRANT_TRANSITIONS: Record<GrantAction, { from: GrantStatus[]; to: GrantStatus; reasonRequired: boolean }> = {
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED', reasonRequired: true },
  reinstate: { from: ['SUSPENDED'], to: 'ACTIVE', reasonRequired: false },
  revoke: { from: ['ACTIVE', 'SUSPENDED'], to: 'REVOKED', reasonRequired: true },
};

/** Admins, or the provider of the service, suspend, reinstate and revoke its grants. */
export function mayChangeGrant(actor: Actor, g: Grant): boolean {
  return actor.roles.includes('admin') || (actor.roles.includes('agency') && actor.agencyId === g.providerAgencyId);
}

/** Who may read a grant: admins and experts, its consumer and its provider. */
export function maySeeGrant(actor: Actor, g: Grant): boolean {
  return actor.roles.includes('admin') || actor.roles.includes('expert') || (actor.agencyId !== undefined && (actor.agencyId === g.consumerAgencyId || actor.agencyId === g.providerAgencyId));
}

/** The grant after `action`, or the error saying why not. */
export function changeGrant(g: Grant, action: GrantAction, reason: string | null, at: Date): Grant {
  const t = GRANT_TRANSITIONS[action];
  if (!t.from.includes(g.status)) {
    throw new GsbError('GSB.GRANT_TRANSITION_NOT_ALLOWED', 'conflict', `a ${g.status} grant cannot be ${action === 'reinstate' ? 'reinstated' : `${action}d`}`);
  }
  const why = reason?.trim() ? reason.trim() : null;
  if (t.reasonRequired && !why) throw new GsbError('GSB.REASON_REQUIRED', 'rule_violation', `a reason is required to ${action} a grant`);
  return { ...g, status: t.to, version: g.version + 1, changedAt: at, reason: t.to === 'ACTIVE' ? null : why };
}
