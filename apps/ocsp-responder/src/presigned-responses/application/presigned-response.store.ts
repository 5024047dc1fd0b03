import type { CachedResponse } from './presigned-response.cache.js';

export interface StoredResponse {
  certIdDer: Buffer;
  issuerId: string;
  serial: string;
  der: Buffer;
  status: 'good' | 'revoked' | 'unknown';
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate: Date;
  /** updatedAt of the status record the response was built from: a mismatch means it is stale. */
  statusVersion: Date;
  /**
   * Fingerprint of the signing profile the response was signed under (ResponseSigner.profileOf:
   * responder id, signer certificate and key, algorithms, validity and archive-cutoff settings).
   * A mismatch at start means a setting changed: the response is signed again, not served.
   */
  profile: string;
}

/** Durable copy of the pre-signed responses, so a restart serves at once without re-signing everything. */
export abstract class PresignedResponseStore {
  abstract loadAll(): Promise<StoredResponse[]>;
  abstract save(responses: StoredResponse[]): Promise<void>;
}

export function toStored(entry: CachedResponse, statusVersion: Date, profile: string): StoredResponse {
  const { certIdDer, issuerId, serial, der, status, producedAt, thisUpdate, nextUpdate } = entry;
  return { certIdDer, issuerId, serial, der, status, producedAt, thisUpdate, nextUpdate, statusVersion, profile };
}
