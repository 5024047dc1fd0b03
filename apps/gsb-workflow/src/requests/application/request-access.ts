import { notFound } from '../../shared/domain/gsb.errors.js';
import { isStaff, type Actor } from '../../shared/domain/actor.js';
import type { RequestRecord } from '../domain/request.js';
import type { RequestRepository } from '../domain/request.repository.js';

/** Whether the caller may see this request: experts and admins all, an agency only its own. */
export function maySeeRequest(actor: Actor, r: RequestRecord): boolean {
  return isStaff(actor) || (actor.agencyId !== undefined && actor.agencyId === r.agencyId);
}

/** Only a UUID can be a request id (anything else is not looked up). */
export const isRequestId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/**
 * Loads a request the caller may see. Another agency's request is "not found", not "forbidden":
 * an applicant learns nothing about other agencies' requests, not even that an id exists.
 */
export async function loadVisibleRequest(repo: RequestRepository, actor: Actor, id: string, lock = false): Promise<RequestRecord> {
  const r = isRequestId(id) ? await repo.get(id, lock) : null;
  if (!r || !maySeeRequest(actor, r)) throw notFound('GSB.REQUEST_NOT_FOUND', `no request ${id}`);
  return r;
}

/** Loads a request of the caller's own agency (edits, uploads). */
export async function loadOwnRequest(repo: RequestRepository, actor: Actor, id: string, lock = false): Promise<RequestRecord> {
  const r = await loadVisibleRequest(repo, actor, id, lock);
  if (actor.agencyId !== r.agencyId) throw notFound('GSB.REQUEST_NOT_FOUND', `no request ${id} of your agency`);
  return r;
}
