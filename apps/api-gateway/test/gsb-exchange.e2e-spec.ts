import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { DataSource } from 'typeorm';
import { readTopicWithKcat, testKafkaBrokers, testTopic, type TestService } from '@darvazeh/testing';
import type { ApiGatewayEnv } from '../src/config/api-gateway.env.js';
import { ExchangeEvidencePublisher } from '../src/gsb/application/chain-head.publisher.js';
import { ExchangeLogWriter } from '../src/gsb/application/exchange-log.writer.js';
import { publish, startGatewayWithIssuer, until } from './support/gateway.js';
import { startLocalUpstream, type LocalUpstream } from './support/local-upstream.js';

type Json = Record<string, unknown>;

const PROVIDER = randomUUID();
const CONSUMER = randomUUID();
const OTHER = randomUUID();

function grant(id: string, version: number, patch: Partial<Json> = {}): Json {
  return {
    grantId: id,
    requestId: null,
    consumerAgencyId: CONSUMER,
    providerAgencyId: PROVIDER,
    serviceCode: 'tax.income-status',
    environment: 'GSB',
    status: 'ACTIVE',
    quotaPerMinute: null,
    quotaPerDay: null,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validUntil: null,
    version,
    changedAt: new Date(Date.now() + version).toISOString(),
    reason: null,
    ...patch,
  };
}

describe('GSB exchange through the gateway (grants and catalog from Kafka, quotas, exchange log)', () => {
  let gw: TestService<ApiGatewayEnv>;
  let provider: LocalUpstream;
  const tokens: Record<string, string> = {};
  const grantId = randomUUID();

  beforeAll(async () => {
    provider = await startLocalUpstream();
    gw = await startGatewayWithIssuer({ UPSTREAM_KARPOOSHEH_URL: provider.url, CHAIN_HEAD_INTERVAL_SECONDS: '3600', EXCHANGE_LOG_FLUSH_MS: '50' });
    const mint = (sub: string, roles: string[], agency?: string) => gw.issuer.mintToken({ sub, roles, ...(agency ? { agency_id: agency } : {}) });
    tokens.consumer = await mint('client-consumer', ['agency'], CONSUMER);
    tokens.other = await mint('client-other', ['agency'], OTHER);
    tokens.provider = await mint('client-provider', ['agency'], PROVIDER);
    tokens.admin = await mint('admin-1', ['admin']);
    await publish('gsb.catalog', 'ir.darvazeh.gsb.service.changed.v1', 'tax.income-status', {
      serviceCode: 'tax.income-status',
      title: 'Income tax status',
      description: 'Whether a company filed its returns',
      providerAgencyId: PROVIDER,
      environments: ['GSB', 'PGSB'],
      upstreamUrl: `${provider.url}/provider`,
      status: 'ACTIVE',
      version: 1,
      changedAt: new Date().toISOString(),
    });
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
    await provider?.close();
  });

  const call = (token: string, path = '/gsb/tax.income-status/filings/10380284790', headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(`${gw.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...headers } });
  const get = (token: string, path: string) => fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('denies by default: no grant → 403 GSB.ACCESS_DENIED, never reaching the provider; unknown service → 404', async () => {
    const denied = await until(() => call(tokens.consumer), (r) => r.status === 403, 'catalog entry known');
    expect(((await denied.json()) as Json).code).toBe('GSB.ACCESS_DENIED');
    // (The status page's poller reads /health/ready and /metrics of the same upstream.)
    expect(provider.seen.filter((s) => s.url.startsWith('/provider'))).toHaveLength(0);
    const unknown = await call(tokens.consumer, '/gsb/nobody.nothing/x');
    expect(unknown.status).toBe(404);
    // The platform's own services are seeded catalog entries: known, and denied without a grant.
    const hamta = await call(tokens.consumer, '/gsb/hamta.imei-status/check');
    expect(hamta.status).toBe(403);
    expect(((await hamta.json()) as Json).code).toBe('GSB.ACCESS_DENIED');
  });

  it('forwards under an active grant issued on gsb.grants; the environment header must match the grant', async () => {
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.issued.v1', grantId, grant(grantId, 1));
    const ok = await until(() => call(tokens.consumer), (r) => r.status === 200, 'grant active');
    const echoed = (await ok.json()) as { url: string; headers: Json };
    expect(echoed.url).toBe('/provider/filings/10380284790');
    expect(echoed.headers['x-request-id']).toBeDefined();
    const pgsb = await call(tokens.consumer, undefined, { 'x-gsb-environment': 'PGSB' });
    expect(pgsb.status).toBe(403);
    const bad = await call(tokens.consumer, undefined, { 'x-gsb-environment': 'XYZ' });
    expect(bad.status).toBe(400);
    expect((await call(tokens.other)).status).toBe(403);
    const admin = await call(tokens.admin);
    expect(admin.status).toBe(403);
    expect(((await admin.json()) as Json).code).toBe('GSB.AGENCY_TOKEN_REQUIRED');
    expect((await fetch(`${gw.url}/gsb/tax.income-status/x`)).status).toBe(401);
  });

  it('stops on suspension, resumes on reinstatement, stops for good on revocation; an older version never wins', async () => {
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.suspended.v1', grantId, grant(grantId, 2, { status: 'SUSPENDED', reason: 'audit' }));
    await until(() => call(tokens.consumer), (r) => r.status === 403, 'suspended');
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.reinstated.v1', grantId, grant(grantId, 3));
    await until(() => call(tokens.consumer), (r) => r.status === 200, 'reinstated');
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.revoked.v1', grantId, grant(grantId, 4, { status: 'REVOKED', reason: 'ended' }));
    await until(() => call(tokens.consumer), (r) => r.status === 403, 'revoked');
    // A stale redelivery of the issued state (version 1) is ignored.
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.issued.v1', grantId, grant(grantId, 1));
    const marker = randomUUID();
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.issued.v1', marker, grant(marker, 1, { serviceCode: 'tax.marker' }));
    await until(async () => (await gw.app.get(DataSource).query('SELECT 1 FROM gsb_grants WHERE grant_id = $1', [marker])).length, (n) => n === 1, 'marker');
    expect((await call(tokens.consumer)).status).toBe(403);
  });

  it('enforces the grant’s per-minute quota with 429 GSB.QUOTA_EXCEEDED and RateLimit headers', async () => {
    const quotaGrant = randomUUID();
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.issued.v1', quotaGrant, grant(quotaGrant, 1, { environment: 'PGSB', quotaPerMinute: 3, quotaPerDay: 100 }));
    const first = await until(() => call(tokens.consumer, undefined, { 'x-gsb-environment': 'PGSB' }), (r) => r.status === 200, 'quota grant active');
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(tokens.consumer, undefined, { 'x-gsb-environment': 'PGSB' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await call(tokens.consumer, undefined, { 'x-gsb-environment': 'PGSB' });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as Json).code).toBe('GSB.QUOTA_EXCEEDED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a principal disabled at identity (principal.disabled on identity.principals) at once', async () => {
    const token = await gw.issuer.mintToken({ sub: 'client-to-disable', roles: ['agency'], agency_id: OTHER });
    expect(((await (await call(token)).json()) as Json).code).toBe('GSB.ACCESS_DENIED');
    await publish('identity.principals', 'ir.darvazeh.identity.principal.disabled.v1', randomUUID(), {
      principalId: randomUUID(),
      subject: 'client-to-disable',
      kind: 'service_client',
      at: new Date().toISOString(),
    });
    const code = await until(async () => ((await (await call(token)).json()) as Json).code, (c) => c === 'AUTH.PRINCIPAL_DISABLED', 'principal disabled');
    expect(code).toBe('AUTH.PRINCIPAL_DISABLED');
  });

  it('logs every call: consumers see theirs, providers calls to their services, admins all; cursor pages; usage per consumer', async () => {
    const consumerRows = await until(
      async () => ((await (await get(tokens.consumer, '/gsb/exchange-log?limit=100')).json()) as { items: Json[] }).items,
      (items) => items.length >= 10,
      'rows written',
    );
    expect(consumerRows.every((r) => r.consumerAgencyId === CONSUMER || r.providerAgencyId === CONSUMER)).toBe(true);
    expect(consumerRows.some((r) => r.outcome === 'allowed' && r.status === 200)).toBe(true);
    expect(consumerRows.some((r) => r.outcome === 'denied' && r.denyCode === 'GSB.ACCESS_DENIED')).toBe(true);
    expect(consumerRows.some((r) => r.denyCode === 'GSB.QUOTA_EXCEEDED')).toBe(true);
    const allowed = consumerRows.find((r) => r.outcome === 'allowed')!;
    expect(allowed.responseSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(allowed.hash).toMatch(/^[0-9a-f]{64}$/);
    const others = ((await (await get(tokens.other, '/gsb/exchange-log?limit=100')).json()) as { items: Json[] }).items;
    expect(others.some((r) => r.consumerAgencyId === CONSUMER)).toBe(false);
    const providerRows = ((await (await get(tokens.provider, '/gsb/exchange-log?limit=100&serviceCode=tax.income-status')).json()) as { items: Json[] }).items;
    expect(providerRows.length).toBeGreaterThan(0);
    expect(providerRows.every((r) => r.providerAgencyId === PROVIDER)).toBe(true);
    const all = ((await (await get(tokens.admin, '/gsb/exchange-log?limit=100')).json()) as { items: Json[] }).items;
    expect(all.length).toBeGreaterThan(consumerRows.length);
    const page1 = (await (await get(tokens.admin, '/gsb/exchange-log?limit=2')).json()) as { items: Json[]; nextCursor: string };
    const page2 = (await (await get(tokens.admin, `/gsb/exchange-log?limit=2&cursor=${page1.nextCursor}`)).json()) as { items: Json[] };
    expect((page2.items[0].seq as number) < (page1.items[1].seq as number)).toBe(true);
    const usage = ((await (await get(tokens.provider, '/gsb/usage')).json()) as { items: Json[] }).items;
    const mine = usage.find((u) => u.consumerAgencyId === CONSUMER && u.serviceCode === 'tax.income-status' && u.environment === 'GSB');
    expect(mine).toMatchObject({ providerAgencyId: PROVIDER });
    expect((mine!.allowed as number) > 0 && (mine!.denied as number) > 0).toBe(true);
    expect((await get(tokens.consumer, '/gsb/exchange-log/verify')).status).toBe(403);
  });

  it('keeps grants and the log across a restart (queued rows flushed at shutdown), and the chain still verifies', async () => {
    const quotaFree = randomUUID();
    await publish('gsb.grants', 'ir.darvazeh.gsb.grant.issued.v1', quotaFree, grant(quotaFree, 1));
    await until(() => call(tokens.consumer), (r) => r.status === 200, 'new grant');
    for (let i = 0; i < 5; i++) await call(tokens.consumer);
    const before = Number((await gw.app.get(DataSource).query('SELECT count(*) AS n FROM gsb_exchange_log'))[0].n);
    await gw.restart();
    const after = Number((await gw.app.get(DataSource).query('SELECT count(*) AS n FROM gsb_exchange_log'))[0].n);
    expect(after).toBeGreaterThanOrEqual(before);
    expect((await call(tokens.consumer)).status).toBe(200);
    const verify = (await (await get(tokens.admin, '/gsb/exchange-log/verify')).json()) as Json;
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.rows).toBe(after + 1);
  }, 60_000);

  it('signs the chain head (ES256, key in /gsb/.well-known/jwks.json) and publishes it and hourly usage on gsb.exchanges', async () => {
    const evidence = gw.app.get(ExchangeEvidencePublisher);
    const head = await evidence.signHead();
    expect(head).not.toBeNull();
    const jwks = (await (await fetch(`${gw.url}/gsb/.well-known/jwks.json`)).json()) as { keys: never[] };
    const { payload, protectedHeader } = await compactVerify(head!.jws, createLocalJWKSet(jwks));
    expect(protectedHeader.alg).toBe('ES256');
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ seq: head!.seq, hash: head!.hash });
    const summaries = await evidence.summarizeClosedHours(new Date(Date.now() + 2 * 3_600_000));
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.flatMap((s) => s.rows).some((r) => r.consumerAgencyId === CONSUMER)).toBe(true);
    const messages = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.exchanges'), { count: 1 + summaries.length });
    const types = messages.map((m) => m.headers.ce_type);
    expect(types).toContain('ir.darvazeh.gsb.exchange-log.head-signed.v1');
    expect(types).toContain('ir.darvazeh.gsb.usage.summarized.v1');
  }, 60_000);

  it('names the first tampered row: the table refuses UPDATE; incremental verify finds a row changed after its checkpoint, full verify one before it', async () => {
    const ds = gw.app.get(DataSource);
    type Verify = { ok: boolean; mode: string; fromSeq: number; checkedRows: number; rows: number; firstBroken: Json | null; checkpoint: { seq: number } | null };
    const verify = async (query = '') => (await (await get(tokens.admin, `/gsb/exchange-log/verify${query}`)).json()) as Verify;
    const tamper = (seq: number) =>
      ds.transaction(async (m) => {
        await m.query('SET LOCAL session_replication_role = replica');
        await m.query('UPDATE gsb_exchange_log SET status = 201 WHERE seq = $1', [seq]);
      });
    const rowCount = async () => Number((await ds.query('SELECT count(*) AS n FROM gsb_exchange_log'))[0].n);
    await expect(ds.query('UPDATE gsb_exchange_log SET status = 201 WHERE seq = 3')).rejects.toThrow(/append-only/);
    expect((await get(tokens.admin, '/gsb/exchange-log/verify?full=yes')).status).toBe(400);

    const first = await verify();
    expect(first).toMatchObject({ ok: true, mode: 'incremental' });
    const checkpoint = first.checkpoint!.seq;
    expect(checkpoint).toBeGreaterThan(3);
    const again = await verify();
    // Nothing new since the checkpoint: nothing recomputed.
    expect(again).toMatchObject({ ok: true, fromSeq: checkpoint + 1, checkedRows: 0, rows: checkpoint });

    for (let i = 0; i < 5; i++) await (await call(tokens.consumer)).text();
    await until(rowCount, (n) => n >= checkpoint + 5, 'five more log rows');
    await gw.app.get(ExchangeLogWriter).flush();
    await tamper(checkpoint + 2);
    const incremental = await verify();
    expect(incremental).toMatchObject({ ok: false, mode: 'incremental', fromSeq: checkpoint + 1, firstBroken: { seq: checkpoint + 2, reason: 'hash_mismatch' } });
    expect(incremental.checkedRows).toBeLessThan(checkpoint);

    // A row before the checkpoint is not recomputed incrementally; a full verification finds it …
    await tamper(3);
    expect((await verify()).firstBroken).toMatchObject({ seq: checkpoint + 2 });
    const full = await verify('?full=true');
    expect(full).toMatchObject({ ok: false, mode: 'full', fromSeq: 1, firstBroken: { seq: 3, reason: 'hash_mismatch' }, checkpoint: null });
    // … and drops the checkpoint, so the periodic (incremental) verification keeps reporting it.
    expect(await verify()).toMatchObject({ ok: false, fromSeq: 1, firstBroken: { seq: 3, reason: 'hash_mismatch' } });
  });

  it('exposes GSB series with bounded labels on /metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/gsb_exchanges_total\{[^}]*service_code="tax.income-status"[^}]*outcome="allowed"/);
    expect(text).toMatch(new RegExp(`gsb_consumer_exchanges_total\\{[^}]*consumer="${CONSUMER}"`));
  });
});
