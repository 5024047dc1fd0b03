import { createHash } from 'node:crypto';

/** One exchange-log row as it is chained (every field a verifier recomputes). */
export interface ExchangeRecord {
  seq: number;
  at: Date;
  requestId: string;
  consumerAgencyId: string | null;
  providerAgencyId: string | null;
  serviceCode: string;
  environment: string;
  method: string;
  path: string;
  status: number;
  outcome: 'allowed' | 'denied' | 'failed';
  denyCode: string | null;
  grantId: string | null;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  requestSha256: string;
  responseSha256: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The row's hash: SHA-256 over the previous row's hash and the row's fields in a fixed order
 * (a JSON array, so no field can bleed into the next). Changing, removing or reordering any row
 * changes every hash after it.
 */
export function chainHash(prevHash: string, r: ExchangeRecord): string {
  const canonical = JSON.stringify([
    prevHash,
    r.seq,
    r.at.toISOString(),
    r.requestId,
    r.consumerAgencyId,
    r.providerAgencyId,
    r.serviceCode,
    r.environment,
    r.method,
    r.path,
    r.status,
    r.outcome,
    r.denyCode,
    r.grantId,
    r.requestBytes,
    r.responseBytes,
    r.durationMs,
    r.requestSha256,
    r.responseSha256,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type ChainBreak = { seq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'gap' };

/** Checks stored rows in seq order against `prevHash` (the last good hash before them). */
export function verifyChainSegment(
  prevHash: string,
  expectedSeq: number,
  rows: readonly (ExchangeRecord & { prevHash: string; hash: string })[],
): { ok: true; lastHash: string; nextSeq: number } | { ok: false; broken: ChainBreak } {
  let prev = prevHash;
  let seq = expectedSeq;
  for (const row of rows) {
    if (row.seq !== seq) return { ok: false, broken: { seq, reason: 'gap' } };
    if (row.prevHash !== prev) return { ok: false, broken: { seq: row.seq, reason: 'prev_hash_mismatch' } };
    if (chainHash(prev, row) !== row.hash) return { ok: false, broken: { seq: row.seq, reason: 'hash_mismatch' } };
    prev = row.hash;
    seq += 1;
  }
  return { ok: true, lastHash: prev, nextSeq: seq };
}
