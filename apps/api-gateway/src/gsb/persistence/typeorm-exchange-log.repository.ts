import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@darvazeh/database';
import type { ExchangeRecord } from '../domain/exchange-chain.js';
import {
  ExchangeLogRepository,
  type ChainPoint,
  type ExchangeFilter,
  type StoredExchange,
  type UsageRow,
  type VerifiedCheckpoint,
} from '../domain/exchange-log.repository.js';

interface Row {
  seq: string;
  at: Date;
  request_id: string;
  consumer_agency_id: string | null;
  provider_agency_id: string | null;
  service_code: string;
  environment: string;
  method: string;
  path: string;
  status: number;
  outcome: ExchangeRecord['outcome'];
  deny_code: string | null;
  grant_id: string | null;
  request_bytes: string;
  response_bytes: string;
  duration_ms: number;
  request_sha256: string;
  response_sha256: string;
  prev_hash: string;
  hash: string;
}

function toRecord(r: Row): StoredExchange {
  return {
    seq: Number(r.seq),
    at: new Date(r.at),
    requestId: r.request_id,
    consumerAgencyId: r.consumer_agency_id,
    providerAgencyId: r.provider_agency_id,
    serviceCode: r.service_code,
    environment: r.environment,
    method: r.method,
    path: r.path,
    status: r.status,
    outcome: r.outcome,
    denyCode: r.deny_code,
    grantId: r.grant_id,
    requestBytes: Number(r.request_bytes),
    responseBytes: Number(r.response_bytes),
    durationMs: r.duration_ms,
    requestSha256: r.request_sha256.trim(),
    responseSha256: r.response_sha256.trim(),
    prevHash: r.prev_hash.trim(),
    hash: r.hash.trim(),
  };
}

/**
 * SQL of the exchange log: batched appends under one advisory lock (one chain across replicas),
 * reads, and the verification checkpoint (one row), in the caller's ambient transaction.
 */
export class TypeOrmExchangeLogRepository extends ExchangeLogRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async lockHead(): Promise<ChainPoint | null> {
    await this.m.query(`SELECT pg_advisory_xact_lock(hashtext('gsb_exchange_log'))`);
    return this.head();
  }

  override async head(): Promise<ChainPoint | null> {
    const rows: { seq: string; hash: string }[] = await this.m.query('SELECT seq, hash FROM gsb_exchange_log ORDER BY seq DESC LIMIT 1');
    return rows.length === 0 ? null : { seq: Number(rows[0].seq), hash: rows[0].hash.trim() };
  }

  override async insert(rows: readonly StoredExchange[]): Promise<void> {
    const col = <K extends keyof StoredExchange>(k: K) => rows.map((r) => r[k]);
    await this.m.query(
      `INSERT INTO gsb_exchange_log (seq, at, request_id, consumer_agency_id, provider_agency_id, service_code, environment,
         method, path, status, outcome, deny_code, grant_id, request_bytes, response_bytes, duration_ms, request_sha256,
         response_sha256, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::varchar[], $4::uuid[], $5::uuid[], $6::varchar[], $7::varchar[],
         $8::varchar[], $9::varchar[], $10::int[], $11::varchar[], $12::varchar[], $13::uuid[], $14::bigint[], $15::bigint[],
         $16::float8[], $17::char(64)[], $18::char(64)[], $19::char(64)[], $20::char(64)[])`,
      [
        col('seq'),
        rows.map((r) => r.at.toISOString()),
        col('requestId'),
        col('consumerAgencyId'),
        col('providerAgencyId'),
        col('serviceCode'),
        col('environment'),
        col('method'),
        col('path'),
        col('status'),
        col('outcome'),
        col('denyCode'),
        col('grantId'),
        col('requestBytes'),
        col('responseBytes'),
        col('durationMs'),
        col('requestSha256'),
        col('responseSha256'),
        col('prevHash'),
        col('hash'),
      ],
    );
  }

  override async range(fromSeq: number, limit: number): Promise<StoredExchange[]> {
    const rows: Row[] = await this.m.query('SELECT * FROM gsb_exchange_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [fromSeq, limit]);
    return rows.map(toRecord);
  }

  override async hashAt(seq: number): Promise<string | null> {
    const rows: { hash: string }[] = await this.m.query('SELECT hash FROM gsb_exchange_log WHERE seq = $1', [seq]);
    return rows.length === 0 ? null : rows[0].hash.trim();
  }

  override async checkpoint(): Promise<VerifiedCheckpoint | null> {
    const rows: { seq: string; hash: string; verified_at: Date }[] = await this.m.query('SELECT seq, hash, verified_at FROM gsb_exchange_log_checkpoint');
    return rows.length === 0 ? null : { seq: Number(rows[0].seq), hash: rows[0].hash.trim(), verifiedAt: new Date(rows[0].verified_at) };
  }

  override async advanceCheckpoint(point: ChainPoint, at: Date): Promise<void> {
    await this.m.query(
      `INSERT INTO gsb_exchange_log_checkpoint (id, seq, hash, verified_at) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, verified_at = EXCLUDED.verified_at
       WHERE gsb_exchange_log_checkpoint.seq < EXCLUDED.seq`,
      [point.seq, point.hash, at],
    );
  }

  override async clearCheckpoint(): Promise<void> {
    await this.m.query('DELETE FROM gsb_exchange_log_checkpoint');
  }

  override async list(f: ExchangeFilter, limit: number): Promise<StoredExchange[]> {
    const { where, params } = conditions(f);
    if (f.afterSeq !== undefined) {
      params.push(f.afterSeq);
      where.push(`seq < $${params.length}`);
    }
    params.push(limit);
    const rows: Row[] = await this.m.query(
      `SELECT * FROM gsb_exchange_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  override async usage(f: ExchangeFilter): Promise<UsageRow[]> {
    const { where, params } = conditions(f);
    const rows: Record<string, string | null>[] = await this.m.query(
      `SELECT consumer_agency_id, provider_agency_id, service_code, environment, count(*) AS calls,
         count(*) FILTER (WHERE outcome = 'allowed') AS allowed, count(*) FILTER (WHERE outcome = 'denied') AS denied,
         count(*) FILTER (WHERE outcome = 'failed') AS failed, sum(request_bytes) AS request_bytes, sum(response_bytes) AS response_bytes,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE outcome <> 'denied') AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE outcome <> 'denied') AS p95
       FROM gsb_exchange_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       GROUP BY consumer_agency_id, provider_agency_id, service_code, environment
       ORDER BY service_code, consumer_agency_id`,
      params,
    );
    return rows.map((r) => ({
      consumerAgencyId: r.consumer_agency_id,
      providerAgencyId: r.provider_agency_id,
      serviceCode: r.service_code ?? '',
      environment: r.environment ?? '',
      calls: Number(r.calls),
      allowed: Number(r.allowed),
      denied: Number(r.denied),
      failed: Number(r.failed),
      requestBytes: Number(r.request_bytes ?? 0),
      responseBytes: Number(r.response_bytes ?? 0),
      p50Ms: r.p50 === null ? null : Math.round(Number(r.p50) * 100) / 100,
      p95Ms: r.p95 === null ? null : Math.round(Number(r.p95) * 100) / 100,
    }));
  }
}

function conditions(f: ExchangeFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.agencyId !== undefined) {
    params.push(f.agencyId);
    where.push(`(consumer_agency_id = $${params.length} OR provider_agency_id = $${params.length})`);
  }
  if (f.consumerAgencyId !== undefined) add('consumer_agency_id = ?', f.consumerAgencyId);
  if (f.providerAgencyId !== undefined) add('provider_agency_id = ?', f.providerAgencyId);
  if (f.serviceCode !== undefined) add('service_code = ?', f.serviceCode);
  if (f.outcome !== undefined) add('outcome = ?', f.outcome);
  if (f.from !== undefined) add('at >= ?', f.from);
  if (f.to !== undefined) add('at < ?', f.to);
  return { where, params };
}
