import { describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, chain, verifyChain, type AuditFact } from './hash-chain.js';

const fact = (action: string, recipientId = '0012345679'): AuditFact => ({
  noticeId: '018f0000-0000-7000-8000-000000000001',
  recipientId,
  action,
  actor: 'system',
  detail: { b: 2, a: 1 },
  at: '2026-12-07T10:00:00.000Z',
});

describe('audit hash chain', () => {
  const entries = chain({ seq: 0, hash: GENESIS_HASH }, [fact('ACCEPTED'), fact('DELIVERED'), fact('VIEWED')]);

  it('links each entry to the previous one and verifies from the genesis', () => {
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(verifyChain(entries)).toMatchObject({ valid: true, entries: 3, headHash: entries[2].hash });
  });

  it('continues a chain from its stored head, same result as one pass', () => {
    const first = chain({ seq: 0, hash: GENESIS_HASH }, [fact('ACCEPTED')]);
    const rest = chain({ seq: 1, hash: first[0].hash }, [fact('DELIVERED'), fact('VIEWED')]);
    expect([...first, ...rest].map((e) => e.hash)).toEqual(entries.map((e) => e.hash));
  });

  it('hashes detail keys in a canonical order', () => {
    const other = chain({ seq: 0, hash: GENESIS_HASH }, [{ ...fact('ACCEPTED'), detail: { a: 1, b: 2 } }]);
    expect(other[0].hash).toBe(entries[0].hash);
  });

  it('detects an altered field', () => {
    const tampered = entries.map((e) => ({ ...e }));
    tampered[1].actor = 'someone-else';
    expect(verifyChain(tampered)).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('detects a removed entry', () => {
    expect(verifyChain([entries[0], entries[2]])).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it('detects a re-hashed entry whose successor still links to the old hash', () => {
    const rewritten = chain({ seq: 1, hash: entries[0].hash }, [fact('EFFECTIVE')]);
    expect(verifyChain([entries[0], rewritten[0], entries[2]])).toMatchObject({ valid: false, brokenAt: 3 });
  });
});
