import type { Principal } from '@darvazeh/auth';
import { forbidden } from '../domain/gsb.errors.js';
import type { Actor } from '../domain/actor.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller as the workflow sees it; an agency user acts for the agency in its token, never one from the request. */
export function actorOf(p: Principal): Actor {
  const agencyId = p.agencyId && UUID.test(p.agencyId) ? p.agencyId.toLowerCase() : undefined;
  return { subject: p.subject, roles: p.roles, agencyId };
}

export function requireAgency(p: Principal): Actor & { agencyId: string } {
  const a = actorOf(p);
  if (!a.roles.includes('agency') || !a.agencyId) {
    throw forbidden('GSB.AGENCY_REQUIRED', 'this step is taken by an executive agency: your token carries no agency (role agency with agency_id)', 'Sign in with your agency’s client credentials.');
  }
  return a as Actor & { agencyId: string };
}
