import { Injectable } from '@nestjs/common';
import type { Principal } from '@darvazeh/auth';
import { decodeCursor, encodeCursor, type CursorPage } from '@darvazeh/http';
import { GENESIS_HASH, verifyChainSegment, type ChainBreak } from '../domain/exchange-chain.js';
import { ExchangeLogRepository, type ExchangeFilter, type StoredExchange, type UsageRow, type VerifiedCheckpoint } from '../domain/exchange-log.repository.js';
import { ExchangeEvidenceRepository } from '../domain/exchange-evidence.repository.js';
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
  /** `incremental` recomputed the rows after the verified checkpoint; `full` every row from row 1. */
  mode: 'full' | 'incremental';
  /** Rows of the chain found sound (from row 1, the ones before the checkpoint included). */
  rows: number;
  /** The first row this verification recomputed, and how many it recomputed. */
  fromSeq: number;
  checkedRows: number;
  headSeq: number;
  headHash: string;
  /** The first row that does not match the chain (or the last signed head), when broken. */
  firstBroken: (ChainBreak & { detail: string }) | null;
  lastSignedHead: { seq: number; hash: string; signedAt: string } | null;
  /** The checkpoint the next incremental verification starts after. */
  checkpoint: { seq: number; hash: string; verifiedAt: string } | null;
}

const PAGE = 5_000;

/**
 * Reads of the exchange log. Visibility: an admin sees every row; an agency sees the calls it
 * made (consumer) and the calls to its services (provider) — never others'.
 */
@Injectable()
export class ExchangeLogQueries {
  constructor(
    private readonly repo: ExchangeLogRepository,
    private readonly evidence: ExchangeEvidenceRepository,
    private readonly writer: ExchangeLogWriter,
  ) {}

  async list(principal: Principal, q: ExchangeQuery, limit: number, cursor?: string): Promise<CursorPage<StoredExchange>> {
    const afterSeq = cursor ? decodeCursor(cursor, (v): v is { seq: number } => Number.isInteger(v.seq)).seq : undefined;
    const rows = await this.repo.list({ ...this.scope(principal), ...q, afterSeq }, limit + 1);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor({ seq: items[items.length - 1].seq }) : null };
  }

  async usage(principal: Principal, q: ExchangeQuery): Promise<UsageRow[]> {
    await this.writer.flush();
    return this.repo.usage({ ...this.scope(principal), ...q });
  }

  /**
   * Recomputes the chain after the verified checkpoint (or from row 1 when `full`, or when there
   * is none yet), checks the checkpoint row and the last signed head still hold the hashes they
   * were verified with, and on success moves the checkpoint to the head. A tampered row before the
   * checkpoint is found by a full verification, which then drops the checkpoint so later
   * incremental verifications keep reporting the break.
   */
  async verify(options: { full?: boolean } = {}): Promise<VerifyResult> {
    await this.writer.flush();
    const mode = options.full ? 'full' : 'incremental';
    const signedHead = await this.evidence.lastSignedHead();
    const signed = signedHead ? { seq: signedHead.seq, hash: signedHead.hash, signedAt: signedHead.signedAt.toISOString() } : null;
    const start = options.full ? null : await this.repo.checkpoint();
    let prev = start?.hash ?? GENESIS_HASH;
    let seq = (start?.seq ?? 0) + 1;
    const fromSeq = seq;
    let checked = 0;
    const result = (broken: ChainBreak & { detail: string }, headSeq: number, headHash: string): VerifyResult => ({
      ok: false,
      mode,
      rows: Math.max(0, broken.seq - 1),
      fromSeq,
      checkedRows: checked,
      headSeq,
      headHash,
      firstBroken: broken,
      lastSignedHead: signed,
      checkpoint: start ? checkpointDto(start) : null,
    });
    const brokenResult = async (broken: ChainBreak & { detail: string }, headSeq: number, headHash: string): Promise<VerifyResult> => {
      if (options.full) await this.repo.clearCheckpoint();
      return result(broken, headSeq, headHash);
    };

    if (start) {
      const stored = await this.repo.hashAt(start.seq);
      if (stored !== start.hash) {
        const reason = stored === null ? 'gap' : 'hash_mismatch';
        return result({ seq: start.seq, reason, detail: `row ${start.seq} no longer holds the hash it was verified with (run a full verification)` }, start.seq, start.hash);
      }
    }
    if (signed && signed.seq >= 1 && signed.seq < seq) {
      const stored = await this.repo.hashAt(signed.seq);
      if (stored !== signed.hash) {
        return result({ seq: signed.seq, reason: 'hash_mismatch', detail: 'the row differs from the signed head' }, signed.seq, stored ?? '');
      }
    }
    for (;;) {
      const rows = await this.repo.range(seq, PAGE);
      if (rows.length === 0) break;
      const outcome = verifyChainSegment(prev, seq, rows);
      if (!outcome.ok) return brokenResult({ ...outcome.broken, detail: describe(outcome.broken) }, seq - 1, prev);
      const atSigned = signed ? rows.find((r) => r.seq === signed.seq) : undefined;
      if (signed && atSigned && atSigned.hash !== signed.hash) {
        return brokenResult({ seq: signed.seq, reason: 'hash_mismatch', detail: 'the chain was recomputed: row differs from the signed head' }, signed.seq, atSigned.hash);
      }
      checked += rows.length;
      prev = outcome.lastHash;
      seq = outcome.nextSeq;
    }
    if (signed && signed.seq > seq - 1) {
      return brokenResult({ seq, reason: 'gap', detail: `rows up to the signed head ${signed.seq} are missing` }, seq - 1, prev);
    }
    const headSeq = seq - 1;
    const now = new Date();
    if (headSeq >= 1 && headSeq > (start?.seq ?? 0)) await this.repo.advanceCheckpoint({ seq: headSeq, hash: prev }, now);
    const checkpoint = headSeq >= 1 ? { seq: headSeq, hash: prev, verifiedAt: headSeq > (start?.seq ?? 0) ? now : start!.verifiedAt } : null;
    return {
      ok: true,
      mode,
      rows: headSeq,
      fromSeq,
      checkedRows: checked,
      headSeq,
      headHash: prev,
      firstBroken: null,
      lastSignedHead: signed,
      checkpoint: checkpoint ? checkpointDto(checkpoint) : null,
    };
  }

  private scope(principal: Principal): Pick<ExchangeFilter, 'agencyId'> {
    if (principal.roles.includes('admin')) return {};
    // An agency token without agency id sees nothing (an impossible id, not everything).
    return { agencyId: principal.agencyId ?? '00000000-0000-0000-0000-000000000000' };
  }
}

function checkpointDto(c: VerifiedCheckpoint): { seq: number; hash: string; verifiedAt: string } {
  return { seq: c.seq, hash: c.hash, verifiedAt: c.verifiedAt.toISOString() };
}

function describe(b: ChainBreak): string {
  if (b.reason === 'gap') return `row ${b.seq} is missing`;
  if (b.reason === 'prev_hash_mismatch') return `row ${b.seq} does not chain to the row before it`;
  return `row ${b.seq} was changed after it was written`;
}
