/** One (MSISDN, validFrom) ownership row as an operator reports it. */
export interface OwnershipRecord {
  msisdn: string;
  validFrom: string;
  nationalCode: string | null;
  operatorCode: string;
  validTo: string | null;
}

/**
 * Port of the streamed subscriber ownerships. The abstract class is also the Nest injection
 * token; implementations join the calling use case's ambient transaction.
 */
export abstract class OwnershipRepository {
  /**
   * Inserts the row, or overwrites the same (msisdn, validFrom) row of the same operator; false
   * when another operator holds that row (it is left untouched).
   */
  abstract upsert(o: OwnershipRecord): Promise<boolean>;
}
