import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@darvazeh/database';
import type { ChainPoint } from '../domain/exchange-log.repository.js';
import { ExchangeEvidenceRepository, type SignedHead } from '../domain/exchange-evidence.repository.js';

/** SQL of the signed chain heads and the usage-hour claims, in the caller's ambient transaction. */
export class TypeOrmExchangeEvidenceRepository extends ExchangeEvidenceRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async lastSignedHead(): Promise<SignedHead | null> {
    const rows: { seq: string; hash: string; signed_at: Date }[] = await this.m.query('SELECT seq, hash, signed_at FROM gsb_chain_heads ORDER BY seq DESC LIMIT 1');
    return rows.length === 0 ? null : { seq: Number(rows[0].seq), hash: rows[0].hash.trim(), signedAt: new Date(rows[0].signed_at) };
  }

  override async claimSignedHead(head: ChainPoint, jws: string, signedAt: Date): Promise<boolean> {
    const claimed: unknown[] = await this.m.query(
      'INSERT INTO gsb_chain_heads (seq, hash, jws, signed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (seq) DO NOTHING RETURNING seq',
      [head.seq, head.hash, jws, signedAt],
    );
    return claimed.length > 0;
  }

  override async firstUnsummarizedHour(): Promise<Date | null> {
    const first: { at: Date | null }[] = await this.m.query(
      `SELECT max(hour_start) + interval '1 hour' AS at FROM gsb_usage_summaries
       UNION ALL SELECT date_trunc('hour', min(at)) FROM gsb_exchange_log`,
    );
    const at = first[0]?.at ?? first[1]?.at;
    return at ? new Date(at) : null;
  }

  override async claimUsageHour(hourStart: Date): Promise<boolean> {
    const claimed: unknown[] = await this.m.query('INSERT INTO gsb_usage_summaries (hour_start) VALUES ($1) ON CONFLICT DO NOTHING RETURNING hour_start', [hourStart]);
    return claimed.length > 0;
  }
}
