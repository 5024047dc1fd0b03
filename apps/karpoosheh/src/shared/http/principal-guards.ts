import type { Principal } from '@darvazeh/auth';
import { forbidden } from '../domain/karpoosheh.errors.js';

/** An agency acts as the agency in its token, never one named in the request. */
export function requireAgency(p: Principal): string {
  if (!p.agencyId) throw forbidden('KARPOOSHEH.NO_AGENCY', 'Your token is not bound to an agency.', 'Sign in with your agency’s client credentials.');
  return p.agencyId;
}
