export interface PublishedCrl {
  issuerId: string;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  revokedCount: number;
  der: Buffer;
}

export abstract class CrlRepository {
  /** Highest CRL number so far, locking the issuer's CRL sequence until the transaction ends. */
  abstract lockLatestNumber(issuerId: string): Promise<bigint>;
  abstract insert(crl: PublishedCrl): Promise<void>;
  abstract latest(issuerId: string): Promise<PublishedCrl | null>;
  abstract byNumber(issuerId: string, crlNumber: bigint): Promise<PublishedCrl | null>;
}
