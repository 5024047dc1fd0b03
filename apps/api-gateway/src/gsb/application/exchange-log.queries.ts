import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { Principal } from '@darvazeh/auth';
import { decodeCursor, encodeCursor, type CursorPage } from '@darvazeh/http';
import { GENESIS_HASH, verifyChainSegment, type ChainBreak } from '../domain/exchange-chain.js';
import { ExchangeLogRepository, type ExchangeFilter, type StoredExchange, type UsageRow } from '../persistence/exchange-log.repository.js';
import { ExchangeLogWriter } from './exchange-log.writer.js';

export interface ExchangeQuery {
  consumerAgencyId?: string;
  providerAgencyId?: string;
  serviceCode?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  headSeq: number;
  headHash: string;
  /** The first row that does not match the chain (or the last signed head), when broken. */
  firstBroken: (ChainBreak & { detail: string }) | null;
  lastSignedHead: { seq: number; hash: string; signedAt: string } | null;
}

const PAGE = 5_000;

/**
 * Reads of the exchange log. Visibility: an admin sees every row; an agency sees the calls it
 * made (consumer) and the calls to its services (provider) — never others'.
 */
@Injectable()
export class ExchangeLogQueries {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ExchangeLogRepository,
    private readonly writer: ExchangeLogWriter,
  ) {}

  async list(principal: Principal, q: ExchangeQuery, limit: number, cursor?: string): Promise<CursorPage<StoredExchange>> {
    const afterSeq = cursor ? decodeCursor(cursor, (v): v is { seq: number } => Number.isInteger(v.seq)).seq : undefined;
    const rows = await this.repo.list(this.tx.manager(), { ...this.scope(principal), ...q, afterSeq }, limit + 1);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor({ seq: items[items.length - 1].seq }) : null };
  }

  async usage(principal: Principal, q: ExchangeQuery): Promise<UsageRow[]> {
    await this.writer.flush();
    return this.repo.usage(this.tx.manager(), { ...this.scope(principal), ...q });
  }

  /** Recomputes the whole chain from the first row, then checks it against the last signed head. */
  async verify(): Promise<VerifyResult> {
    await this.writer.flush();
    const m = this.tx.manager();
    let prev = GENESIS_HASH;
    let seq = 1;
    let count = 0;
    let hashes = new Map<number, string>();
    const heads: { seq: string; hash: string; signed_at: Date }[] = await m.query('SELECT seq, hash, signed_at FROM gsb_chain_heads ORDER BY seq DESC LIMIT 1');
    const signed = heads[0] ? { seq: Number(heads[0].seq), hash: heads[0].hash.trim(), signedAt: new Date(heads[0].signed_at).toISOString() } : null;
    for (;;) {
      const rows = await this.repo.range(m, seq, PAGE);
      if (rows.length === 0) break;
      const outcome = verifyChainSegment(prev, seq, rows);
      if (!outcome.ok) {
        return { ok: false, rows: count, headSeq: seq - 1, headHash: prev, firstBroken: { ...outcome.broken, detail: describe(outcome.broken) }, lastSignedHead: signed };
      }
      if (signed) hashes = new Map(rows.filter((r) => r.seq === signed.seq).map((r) => [r.seq, r.hash]));
      if (signed && hashes.has(signed.seq) && hashes.get(signed.seq) !== signed.hash) {
        const broken: ChainBreak = { seq: signed.seq, reason: 'hash_mismatch' };
        return { ok: false, rows: count, headSeq: signed.seq, headHash: hashes.get(signed.seq)!, firstBroken: { ...broken, detail: 'the chain was recomputed: row differs from the signed head' }, lastSignedHead: signed };
      }
      count += rows.length;
      prev = outcome.lastHash;
      seq = outcome.nextSeq;
    }
    if (signed && signed.seq > seq - 1) {
      return { ok: false, rows: count, headSeq: seq - 1, headHash: prev, firstBroken: { seq, reason: 'gap', detail: `rows up to the signed head ${signed.seq} are missing` }, lastSignedHead: signed };
    }
    return { ok: true, rows: count, headSeq: seq - 1, headHash: prev, firstBroken: null, lastSignedHead: signed };
  }

  private scope(principal: Principal): Pick<ExchangeFilter, 'agencyId'> {
    if (principal.roles.includes('admin')) return {};
    // An agency token without agency id sees nothing (an impossible id, not everything).
    return { agencyId: principal.agencyId ?? '00000000-0000-0000-0000-000000000000' };
  }
}

function describe(b: ChainBreak): string {
  if (b.reason === 'gap') return `row ${b.seq} is missing`;
  if (b.reason === 'prev_hash_mismatch') return `row ${b.seq} does not chain to the row before it`;
  return `row ${b.seq} was changed after it was written`;
}
