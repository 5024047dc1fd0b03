import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { IdempotencyRecord } from '../domain/idempotency.js';
import { IdempotencyStore } from '../domain/idempotency.store.js';

/**
 * Idempotency records in `idempotency_keys`; the in-flight guard is a transaction-scoped
 * advisory lock on (agency, key), so a concurrent duplicate answers 409 instead of waiting.
 */
@Injectable()
export class PgIdempotencyStore extends IdempotencyStore {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async tryLock(agencyId: string, key: string): Promise<boolean> {
    const locked: { ok: boolean }[] = await this.tx.manager().query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7)) AS ok`, [agencyId, key]);
    return locked[0].ok;
  }

  override async find(agencyId: string, key: string): Promise<IdempotencyRecord | null> {
    const existing: { request_hash: string; response_status: number; response_body: unknown }[] = await this.tx
      .manager()
      .query('SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE agency_id = $1 AND key = $2', [agencyId, key]);
    return existing[0] ? { requestHash: existing[0].request_hash, responseStatus: existing[0].response_status, responseBody: existing[0].response_body } : null;
  }

  override async save(agencyId: string, key: string, record: IdempotencyRecord): Promise<void> {
    await this.tx
      .manager()
      .query('INSERT INTO idempotency_keys (agency_id, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5)', [
        agencyId,
        key,
        record.requestHash,
        record.responseStatus,
        JSON.stringify(record.responseBody),
      ]);
  }
}
