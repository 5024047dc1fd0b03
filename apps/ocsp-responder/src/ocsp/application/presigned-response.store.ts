import type { CachedResponse } from './response-cache.js';

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
}

/** Durable copy of the pre-signed responses, so a restart serves at once without re-signing everything. */
export abstract class PresignedResponseStore {
  abstract loadAll(): Promise<StoredResponse[]>;
  abstract save(responses: StoredResponse[]): Promise<void>;
}

export class InMemoryPresignedResponseStore extends PresignedResponseStore {
  readonly rows = new Map<string, StoredResponse>();
  async loadAll(): Promise<StoredResponse[]> {
    return [...this.rows.values()];
  }
  async save(responses: StoredResponse[]): Promise<void> {
    for (const r of responses) this.rows.set(r.certIdDer.toString('hex'), r);
  }
}

export function toStored(entry: CachedResponse, statusVersion: Date): StoredResponse {
  const { certIdDer, issuerId, serial, der, status, producedAt, thisUpdate, nextUpdate } = entry;
  return { certIdDer, issuerId, serial, der, status, producedAt, thisUpdate, nextUpdate, statusVersion };
}
