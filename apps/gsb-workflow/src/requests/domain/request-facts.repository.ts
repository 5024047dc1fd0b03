import type { CatalogService } from '../../catalog/domain/catalog-service.js';
import type { RequestRecord } from './request.js';

/** What the deficiency rules, the workflow guards and the grant need to know about a request, read at once. */
export interface RequestFactsSnapshot {
  /** The catalog entry of the request's service code (null: none, or no code). */
  service: CatalogService | null;
  /** Environments the agency has an ACTIVE connection to, sorted. */
  connectedEnvironments: string[];
  /** A not revoked grant of this service in this environment to this agency exists. */
  activeGrant: boolean;
  /** Another open request of the agency for the same thing (its id). */
  openRequestId: string | null;
}

/**
 * Port of the one read a step needs beyond the request itself (catalog entry, connections, live
 * grant, duplicate open request): one statement, so submitting costs one round trip for all
 * four instead of one each. The abstract class is also the Nest injection token.
 */
export abstract class RequestFactsRepository {
  abstract lookup(r: RequestRecord): Promise<RequestFactsSnapshot>;
  /**
   * The request (not locked) and its facts, read by one statement — a step's only read. null
   * when there is no request `id` (the caller has checked it is a UUID).
   */
  abstract requestWithFacts(id: string): Promise<{ request: RequestRecord; facts: RequestFactsSnapshot } | null>;
}
