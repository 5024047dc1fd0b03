import type { CatalogEntry, Grant } from './access-decision.js';

/**
 * Port of the gateway's catalog and grant projection: writes keep the highest version only.
 * Implementations join the calling use case's ambient transaction.
 */
export abstract class GsbProjectionRepository {
  /** True when stored (newer than what was there). Seeds (version 0) only fill gaps or refresh other seeds. */
  abstract upsertService(entry: CatalogEntry, changedAt: Date): Promise<boolean>;
  /** True when stored (a higher version than the stored one). */
  abstract upsertGrant(grant: Grant, changedAt: Date): Promise<boolean>;
  abstract allServices(): Promise<CatalogEntry[]>;
  abstract allGrants(): Promise<Grant[]>;
}
