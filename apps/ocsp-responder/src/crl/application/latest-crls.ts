import { createHash } from 'node:crypto';
import type { PublishedCrl } from '../domain/crl.repository.js';

export interface ServedCrl extends PublishedCrl {
  etag: string;
}

/** The current CRL of each issuer in memory (they are fetched far more often than they change). */
export class LatestCrls {
  private readonly byIssuer = new Map<string, ServedCrl>();

  put(crl: PublishedCrl): ServedCrl {
    const current = this.byIssuer.get(crl.issuerId);
    const served = { ...crl, etag: `"${createHash('sha1').update(crl.der).digest('base64url')}"` };
    if (!current || current.crlNumber < crl.crlNumber) this.byIssuer.set(crl.issuerId, served);
    return served;
  }

  get(issuerId: string): ServedCrl | undefined {
    return this.byIssuer.get(issuerId);
  }
}
