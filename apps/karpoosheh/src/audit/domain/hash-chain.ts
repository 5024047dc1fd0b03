import { createHash } from 'node:crypto';

/** Hash of the (virtual) entry before the first one of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry proves: who/what moved to which state, when. */
export interface AuditFact {
  noticeId: string;
  /** Recipient (national code / company ID) or null for notice-level facts. */
  recipientId: string | null;
  /** A recipient state (DELIVERED, …) or a fact (ATTACHMENT_DOWNLOADED, NOTICE_CREATED). */
  action: string;
  /** Who caused it: token subject, `system`, a reader's national code. */
  actor: string;
  /** Free details (JSON-serialisable, e.g. attachment sha256). */
  detail: Record<string, unknown> | null;
  at: string;
}

export interface AuditEntry extends AuditFact {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * The bytes hashed for an entry: a fixed field order, so the same fact always hashes the same
 * (JSON.stringify of an object literal keeps insertion order; detail keys are sorted).
 */
export function canonicalEntry(seq: number, prevHash: string, fact: AuditFact): string {
  const detail = fact.detail ? Object.fromEntries(Object.entries(fact.detail).sort(([a], [b]) => (a < b ? -1 : 1))) : null;
  return JSON.stringify([seq, prevHash, fact.noticeId, fact.recipientId, fact.action, fact.actor, detail, fact.at]);
}

export function entryHash(seq: number, prevHash: string, fact: AuditFact): string {
  return createHash('sha256').update(canonicalEntry(seq, prevHash, fact)).digest('hex');
}

/** Extends a chain whose head is (seq, hash) with facts, in order. */
export function chain(head: { seq: number; hash: string }, facts: readonly AuditFact[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let seq = head.seq;
  let prev = head.hash;
  for (const fact of facts) {
    seq += 1;
    const hash = entryHash(seq, prev, fact);
    entries.push({ ...fact, seq, prevHash: prev, hash });
    prev = hash;
  }
  return entries;
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  headHash: string;
  /** First entry that does not match (altered, reordered, removed before it). */
  brokenAt: number | null;
  problem: string | null;
}

/**
 * Walks entries in seq order from the genesis: each must link to the previous hash and hash to
 * its own stored hash. An edited field, a removed or inserted entry all break it.
 */
export function verifyChain(entries: Iterable<AuditEntry>): ChainVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return broken(entry.seq, prev, count, `expected entry ${expectedSeq}, found ${entry.seq}`);
    if (entry.prevHash !== prev) return broken(entry.seq, prev, count, 'link to the previous entry does not match');
    if (entryHash(entry.seq, entry.prevHash, entry) !== entry.hash) return broken(entry.seq, prev, count, 'entry content does not match its hash');
    prev = entry.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { valid: true, entries: count, headHash: prev, brokenAt: null, problem: null };
}

function broken(seq: number, head: string, count: number, problem: string): ChainVerification {
  return { valid: false, entries: count, headHash: head, brokenAt: seq, problem };
}
