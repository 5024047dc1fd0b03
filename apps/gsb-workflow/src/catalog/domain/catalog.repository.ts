import type { CatalogService } from './catalog-service.js';

export interface CatalogSearch {
  q?: string;
  environment?: string;
  providerAgencyId?: string;
  status?: string;
  after?: string;
  limit: number;
}

/**
 * Port of the service catalog. The abstract class is also the Nest injection token;
 * implementations join the calling use case's ambient transaction.
 */
export abstract class CatalogRepository {
  /** `forUpdate` locks the entry until the transaction ends. */
  abstract find(code: string, forUpdate?: boolean): Promise<CatalogService | null>;
  /** False when the code is taken (nothing written). */
  abstract insert(s: CatalogService): Promise<boolean>;
  abstract update(s: CatalogService): Promise<void>;
  /** Ordered by code; `after` is the last code of the previous page. Fetches limit + 1 entries. */
  abstract search(s: CatalogSearch): Promise<CatalogService[]>;
}
