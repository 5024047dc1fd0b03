import { PresignedResponseStore, type StoredResponse } from '../../src/presigned-responses/application/presigned-response.store.js';

/** Test double of the durable pre-signed response store (the PostgreSQL one is TypeOrmPresignedResponseStore). */
export class InMemoryPresignedResponseStore extends PresignedResponseStore {
  readonly rows = new Map<string, StoredResponse>();
  async loadAll(): Promise<StoredResponse[]> {
    return [...this.rows.values()];
  }
  async save(responses: StoredResponse[]): Promise<void> {
    for (const r of responses) this.rows.set(r.certIdDer.toString('hex'), r);
  }
}
