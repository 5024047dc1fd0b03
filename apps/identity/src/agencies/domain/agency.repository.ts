import type { Agency } from './agency.js';

export interface AgencyPageQuery {
  limit: number;
  /** Return agencies with id greater than this (ids are time-ordered UUIDv7). */
  after?: string;
}

/** Port. Implementations join the ambient transaction of the calling use case. */
export abstract class AgencyRepository {
  abstract findById(id: string): Promise<Agency | null>;
  abstract findByNationalId(nationalId: string): Promise<Agency | null>;
  /** Throws AgencyNationalIdTakenError when the database's unique constraint refuses the row. */
  abstract insert(agency: Agency): Promise<void>;
  abstract update(agency: Agency): Promise<void>;
  abstract list(query: AgencyPageQuery): Promise<Agency[]>;
}
