import type { Grant } from './grant.js';

export interface GrantListFilter {
  /** Grants where this agency is consumer or provider; null: all. */
  agencyId: string | null;
  status?: string;
  serviceCode?: string;
  afterId?: string;
  limit: number;
}

/**
 * Port of access grants. The abstract class is also the Nest injection token; implementations
 * join the calling use case's ambient transaction.
 */
export abstract class GrantRepository {
  abstract insert(g: Grant): Promise<void>;
  /** Writes the status, version, reason and change time. */
  abstract save(g: Grant): Promise<void>;
  /** null for an id that is not a UUID. `forUpdate` locks the grant until the transaction ends. */
  abstract get(id: string, forUpdate?: boolean): Promise<Grant | null>;
  /** Newest first. Fetches limit + 1. */
  abstract list(f: GrantListFilter): Promise<Grant[]>;
}
