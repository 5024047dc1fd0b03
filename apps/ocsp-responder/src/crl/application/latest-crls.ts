import { createHash } from 'node:crypto';
import type { PublishedCrl } from '../domain/crl.repository.js';

export interface ServedCrl extends PublishedCrl {
  etag: string;
}

/** The current complete (and delta) CRL of each issuer in memory (they are fetched far more often than they change). */
export class LatestCrls {
  private readonly byIssuer = new Map<string, ServedCrl>();
  private readonly deltas = new Map<string, ServedCrl>();

  put(crl: PublishedCrl): ServedCrl {
    const current = this.byIssuer.get(crl.issuerId);
    const served = { ...crl, etag: `"${createHash('sha1').update(crl.der).digest('base64url')}"` };
    if (!current || current.crlNumber < crl.crlNumber) this.byIssuer.set(crl.issuerId, served);
    return served;
  }

  get(issuerId: string): ServedCrl | undefined {
    return this.byIssuer.get(issuerId);
  }

  putDelta(crl: PublishedCrl): ServedCrl {
    const current = this.deltas.get(crl.issuerId);
    const served = { ...crl, etag: `"${createHash('sha1').update(crl.der).digest('base64url')}"` };
    if (!current || current.crlNumber < crl.crlNumber) this.deltas.set(crl.issuerId, served);
    return served;
  }

  /** The latest delta CRL, if it updates the current complete CRL (a delta of an older base is no use). */
  getDelta(issuerId: string): ServedCrl | undefined {
    const delta = this.deltas.get(issuerId);
    const base = this.byIssuer.get(issuerId);
    return delta && base && delta.baseCrlNumber === base.crlNumber ? delta : undefined;
  }
}
