export interface PublishedCrl {
  issuerId: string;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  revokedCount: number;
  der: Buffer;
  /** A delta CRL: the number of the complete CRL it updates; null for a complete CRL. */
  baseCrlNumber: bigint | null;
}

export abstract class CrlRepository {
  /** Highest CRL number so far, locking the issuer's CRL sequence until the transaction ends. */
  abstract lockLatestNumber(issuerId: string): Promise<bigint>;
  abstract insert(crl: PublishedCrl): Promise<void>;
  /** The latest complete CRL. */
  abstract latest(issuerId: string): Promise<PublishedCrl | null>;
  abstract latestDelta(issuerId: string): Promise<PublishedCrl | null>;
  abstract byNumber(issuerId: string, crlNumber: bigint): Promise<PublishedCrl | null>;
}
