import { describe, expect, it } from '@jest/globals';
import { chainHash, GENESIS_HASH, type ExchangeRecord } from '../domain/exchange-chain.js';
import {
  ExchangeLogRepository,
  type ChainPoint,
  type ExchangeFilter,
  type StoredExchange,
  type UsageRow,
  type VerifiedCheckpoint,
} from '../domain/exchange-log.repository.js';
import { ExchangeEvidenceRepository, type SignedHead } from '../domain/exchange-evidence.repository.js';
import type { ExchangeLogWriter } from './exchange-log.writer.js';
import { ExchangeLogQueries } from './exchange-log.queries.js';

class InMemoryExchangeLog extends ExchangeLogRepository {
  rows: StoredExchange[] = [];
  saved: VerifiedCheckpoint | null = null;
  /** Rows handed out by range(): how much a verification recomputed. */
  read = 0;

  append(n: number): void {
    for (let i = 0; i < n; i++) {
      const prev = this.rows.at(-1)?.hash ?? GENESIS_HASH;
      const r: ExchangeRecord = {
        seq: this.rows.length + 1,
        at: new Date(Date.UTC(2026, 11, 7, 10, 0, this.rows.length)),
        requestId: `req-${this.rows.length + 1}`,
        consumerAgencyId: null,
        providerAgencyId: null,
        serviceCode: 'hamta.imei-status',
        environment: 'GSB',
        method: 'GET',
        path: '/x',
        status: 200,
        outcome: 'allowed',
        denyCode: null,
        grantId: null,
        requestBytes: 0,
        responseBytes: 10,
        durationMs: 1,
        requestSha256: GENESIS_HASH,
        responseSha256: GENESIS_HASH,
      };
      this.rows.push({ ...r, prevHash: prev, hash: chainHash(prev, r) });
    }
  }

  /** Changes a row's content behind the chain's back (its stored hash stays). */
  tamper(seq: number): void {
    this.rows[seq - 1] = { ...this.rows[seq - 1], status: 201 };
  }

  override async lockHead(): Promise<ChainPoint | null> {
    return this.head();
  }
  override async head(): Promise<ChainPoint | null> {
    const last = this.rows.at(-1);
    return last ? { seq: last.seq, hash: last.hash } : null;
  }
  override async insert(rows: readonly StoredExchange[]): Promise<void> {
    this.rows.push(...rows);
  }
  override async range(fromSeq: number, limit: number): Promise<StoredExchange[]> {
    const out = this.rows.filter((r) => r.seq >= fromSeq).slice(0, limit);
    this.read += out.length;
    return out;
  }
  override async hashAt(seq: number): Promise<string | null> {
    return this.rows.find((r) => r.seq === seq)?.hash ?? null;
  }
  override async list(_f: ExchangeFilter, _limit: number): Promise<StoredExchange[]> {
    return [];
  }
  override async usage(_f: ExchangeFilter): Promise<UsageRow[]> {
    return [];
  }
  override async checkpoint(): Promise<VerifiedCheckpoint | null> {
    return this.saved;
  }
  override async advanceCheckpoint(point: ChainPoint, at: Date): Promise<void> {
    if (!this.saved || this.saved.seq < point.seq) this.saved = { ...point, verifiedAt: at };
  }
  override async clearCheckpoint(): Promise<void> {
    this.saved = null;
  }
}

class InMemoryEvidence extends ExchangeEvidenceRepository {
  signed: SignedHead | null = null;
  override async lastSignedHead(): Promise<SignedHead | null> {
    return this.signed;
  }
  override async claimSignedHead(): Promise<boolean> {
    return true;
  }
  override async firstUnsummarizedHour(): Promise<Date | null> {
    return null;
  }
  override async claimUsageHour(): Promise<boolean> {
    return true;
  }
}

function setup(rows: number) {
  const log = new InMemoryExchangeLog();
  const evidence = new InMemoryEvidence();
  log.append(rows);
  const writer = { flush: async () => undefined } as unknown as ExchangeLogWriter;
  return { log, evidence, queries: new ExchangeLogQueries(log, evidence, writer) };
}

describe('exchange-log verification from a checkpoint', () => {
  it('recomputes only the rows after the checkpoint and moves it to the head', async () => {
    const { log, queries } = setup(10);
    expect(await queries.verify()).toMatchObject({ ok: true, mode: 'incremental', fromSeq: 1, checkedRows: 10, rows: 10, checkpoint: { seq: 10 } });
    log.append(3);
    log.read = 0;
    expect(await queries.verify()).toMatchObject({ ok: true, fromSeq: 11, checkedRows: 3, rows: 13, headSeq: 13, checkpoint: { seq: 13 } });
    expect(log.read).toBe(3);
  });

  it('finds a row changed after the checkpoint; one changed before it only with full, which then drops the checkpoint', async () => {
    const { log, queries } = setup(10);
    await queries.verify();
    log.append(5);
    log.tamper(12);
    expect(await queries.verify()).toMatchObject({ ok: false, firstBroken: { seq: 12, reason: 'hash_mismatch' }, checkpoint: { seq: 10 } });
    log.tamper(4);
    expect((await queries.verify()).firstBroken).toMatchObject({ seq: 12 });
    expect(await queries.verify({ full: true })).toMatchObject({ ok: false, mode: 'full', fromSeq: 1, firstBroken: { seq: 4 }, checkpoint: null });
    expect(log.saved).toBeNull();
    expect(await queries.verify()).toMatchObject({ ok: false, fromSeq: 1, firstBroken: { seq: 4 } });
  });

  it('refuses a checkpoint whose row is gone or no longer holds the verified hash', async () => {
    const { log, queries } = setup(6);
    await queries.verify();
    log.rows = log.rows.slice(0, 4);
    expect(await queries.verify()).toMatchObject({ ok: false, firstBroken: { seq: 6, reason: 'gap' } });
  });

  it('checks the last signed head even when it lies before the checkpoint', async () => {
    const { log, evidence, queries } = setup(8);
    await queries.verify();
    evidence.signed = { seq: 5, hash: 'f'.repeat(64), signedAt: new Date() };
    expect(await queries.verify()).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: 'hash_mismatch' } });
    evidence.signed = { seq: 5, hash: log.rows[4].hash, signedAt: new Date() };
    expect((await queries.verify()).ok).toBe(true);
  });
});
