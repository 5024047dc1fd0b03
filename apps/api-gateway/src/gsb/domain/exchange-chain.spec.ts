import { describe, expect, it } from '@jest/globals';
import { chainHash, GENESIS_HASH, verifyChainSegment, type ExchangeRecord } from './exchange-chain.js';
import { decideAccess, type CatalogEntry, type Grant } from './access-decision.js';

function record(seq: number, patch: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return {
    seq,
    at: new Date('2026-12-07T10:00:00.000Z'),
    requestId: `r-${seq}`,
    consumerAgencyId: 'c',
    providerAgencyId: 'p',
    serviceCode: 'hamta.imei-status',
    environment: 'GSB',
    method: 'POST',
    path: '/check',
    status: 200,
    outcome: 'allowed',
    denyCode: null,
    grantId: 'g',
    requestBytes: 10,
    responseBytes: 20,
    durationMs: 3,
    requestSha256: 'a'.repeat(64),
    responseSha256: 'b'.repeat(64),
    ...patch,
  };
}

function chain(n: number) {
  const rows = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = record(i);
    const hash = chainHash(prev, r);
    rows.push({ ...r, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('exchange log hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChainSegment(GENESIS_HASH, 1, chain(5))).toMatchObject({ ok: true, nextSeq: 6 });
  });

  it('names the first row whose content was changed', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], status: 500 };
    expect(verifyChainSegment(GENESIS_HASH, 1, rows)).toEqual({ ok: false, broken: { seq: 3, reason: 'hash_mismatch' } });
  });

  it('names a removed row as a gap and a re-hashed row by its successor’s prev hash', () => {
    const rows = chain(5);
    expect(verifyChainSegment(GENESIS_HASH, 1, [...rows.slice(0, 2), ...rows.slice(3)])).toEqual({ ok: false, broken: { seq: 3, reason: 'gap' } });
    const forged = { ...rows[1], status: 404 };
    forged.hash = chainHash(forged.prevHash, forged);
    expect(verifyChainSegment(GENESIS_HASH, 1, [rows[0], forged, ...rows.slice(2)])).toEqual({ ok: false, broken: { seq: 3, reason: 'prev_hash_mismatch' } });
  });
});

describe('GSB access decision (deny by default)', () => {
  const service: CatalogEntry = { serviceCode: 'hamta.imei-status', title: 'IMEI', providerAgencyId: 'p', environments: ['GSB'], upstreamUrl: 'http://x', status: 'ACTIVE', version: 1 };
  const grant: Grant = {
    grantId: 'g',
    consumerAgencyId: 'c',
    providerAgencyId: 'p',
    serviceCode: 'hamta.imei-status',
    environment: 'GSB',
    status: 'ACTIVE',
    quotaPerMinute: null,
    quotaPerDay: null,
    validFrom: new Date('2026-01-01'),
    validUntil: null,
    version: 1,
  };
  const now = new Date('2026-12-07');

  it('allows an active grant of the caller for that service and environment', () => {
    expect(decideAccess('c', 'GSB', service, [grant], now)).toMatchObject({ allowed: true });
  });

  it('denies another agency, another environment, a suspended grant, an expired grant and an unknown service', () => {
    expect(decideAccess('other', 'GSB', service, [grant], now)).toMatchObject({ allowed: false, code: 'GSB.ACCESS_DENIED' });
    expect(decideAccess('c', 'PGSB', { ...service, environments: ['GSB', 'PGSB'] }, [grant], now)).toMatchObject({ allowed: false, code: 'GSB.ACCESS_DENIED' });
    expect(decideAccess('c', 'GSB', service, [{ ...grant, status: 'SUSPENDED' }], now)).toMatchObject({ allowed: false, code: 'GSB.ACCESS_DENIED' });
    expect(decideAccess('c', 'GSB', service, [{ ...grant, validUntil: new Date('2026-06-01') }], now)).toMatchObject({ allowed: false, code: 'GSB.ACCESS_DENIED' });
    expect(decideAccess('c', 'GSB', undefined, [grant], now)).toMatchObject({ allowed: false, code: 'GSB.SERVICE_NOT_FOUND' });
    expect(decideAccess('c', 'GSB', { ...service, status: 'SUSPENDED' }, [grant], now)).toMatchObject({ allowed: false, code: 'GSB.SERVICE_UNAVAILABLE' });
  });
});
