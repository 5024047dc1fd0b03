/** One streamed sighting, as merged into its (IMEI, MSISDN, IMSI, operator) key. */
export interface SightingToMerge {
  core: number;
  msisdn: string;
  imsi: string;
  operatorCode: string;
  /** YYYY-MM-DD */
  date: string;
  rat: string | null;
}

/**
 * Port of the streamed sightings. The abstract class is also the Nest injection token;
 * implementations join the calling use case's ambient transaction.
 */
export abstract class SightingRepository {
  /** Merges the sighting into its key (order-independent), waiting only for a file merge of the same operator. */
  abstract merge(s: SightingToMerge): Promise<void>;
}
