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

  override async lock(agencyId: string, key: string): Promise<{ locked: boolean; record: IdempotencyRecord | null }> {
    // One statement, one snapshot (taken before the lock): a record committed by a holder that
    // released the lock in between is not seen here — save() then finds it and refuses.
    const rows: { ok: boolean; request_hash: string | null; response_status: number | null; response_body: unknown }[] = await this.tx.manager().query(
      `SELECT l.ok, k.request_hash, k.response_status, k.response_body
         FROM (SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, 7)) AS ok) l
         LEFT JOIN idempotency_keys k ON l.ok AND k.agency_id = $1::uuid AND k.key = $2::text`,
      [agencyId, key],
    );
    const r = rows[0];
    if (!r.ok) return { locked: false, record: null };
    return { locked: true, record: r.request_hash === null ? null : { requestHash: r.request_hash, responseStatus: r.response_status!, responseBody: r.response_body } };
  }

  override async save(agencyId: string, key: string, record: IdempotencyRecord): Promise<boolean> {
    const rows: unknown[] = await this.tx
      .manager()
      .query('INSERT INTO idempotency_keys (agency_id, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key', [
        agencyId,
        key,
        record.requestHash,
        record.responseStatus,
        JSON.stringify(record.responseBody),
      ]);
    return rows.length > 0;
  }
}
