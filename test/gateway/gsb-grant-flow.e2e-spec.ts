import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestService, type JsonBody, type TestService } from '@darvazeh/testing';
import { GsbWorkflowEnv } from '../../apps/gsb-workflow/src/config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE as GSB_WORKFLOW } from '../../apps/gsb-workflow/src/gsb-workflow.module.js';
import { ApiGatewayEnv } from '../../apps/api-gateway/src/config/api-gateway.env.js';
import { startGatewayWithIssuer, until } from '../../apps/api-gateway/test/support/gateway.js';
import { startLocalUpstream, type LocalUpstream } from '../../apps/api-gateway/test/support/local-upstream.js';

const OUTPUT = path.resolve('.test-output/gateway');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n'), Buffer.alloc(200, 32)]);

/**
 * The two halves of the GSB built by different services, joined only by Kafka: a provider
 * publishes a service in gsb-workflow's catalog, a consumer agency walks the request to an
 * expert's approval, and the gateway — which never calls gsb-workflow — lets the consumer's
 * calls through once the grant event arrives, and stops them when the provider suspends it.
 */
describe('GSB across services: catalog and grant from gsb-workflow, enforced by the gateway', () => {
  let workflow: TestService<GsbWorkflowEnv>;
  let gateway: TestService<ApiGatewayEnv>;
  let provider: LocalUpstream;
  const consumerAgency = randomUUID();
  const providerAgency = randomUUID();
  const serviceCode = 'test-provider.echo';
  const tokens: Record<string, string> = {};

  const call = async (who: string, method: string, path: string, json?: unknown) => {
    const res = await fetch(`${workflow.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as JsonBody };
  };
  const throughGateway = async () => {
    const res = await fetch(`${gateway.url}/gsb/${serviceCode}/echo`, { headers: { authorization: `Bearer ${tokens.consumer}` } });
    return { status: res.status, body: (await res.json().catch(() => null)) as JsonBody };
  };

  beforeAll(async () => {
    provider = await startLocalUpstream();
    workflow = await startTestService({
      service: GSB_WORKFLOW,
      envClass: GsbWorkflowEnv,
      module: (env) => GsbWorkflowModule.register(env),
      label: 'gsb_flow',
      env: { SLA_CHECK_INTERVAL_SECONDS: '0' },
    });
    // The same issuer and Kafka namespace (this test file's): tokens and events are shared, HTTP is not.
    gateway = await startGatewayWithIssuer({ EXCHANGE_LOG_FLUSH_MS: '50' }, workflow.issuer);
    const mint = (sub: string, roles: string[], agency?: string) => workflow.issuer.mintToken({ sub, roles, ...(agency ? { agency_id: agency } : {}) });
    tokens.consumer = await mint('flow-consumer', ['agency'], consumerAgency);
    tokens.provider = await mint('flow-provider', ['agency'], providerAgency);
    tokens.expert = await mint('flow-expert', ['expert']);
  }, 120_000);

  // Observed latencies (not asserted: speed belongs to bench/) are kept beside the screenshots.
  const latencies: Record<string, number> = {};
  const untilSoon = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> => {
    for (let i = 0; i < 3_000; i += 1) {
      const v = await probe();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(what);
  };

  afterAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(path.join(OUTPUT, 'grant-latency.json'), `${JSON.stringify({ at: new Date().toISOString(), ...latencies }, null, 2)}\n`);
    await gateway?.close();
    await workflow?.close();
    await provider?.close();
  });

  it('denies by default, forwards once the approval\'s grant reaches the gateway, and stops on suspension', async () => {
    const published = await call('provider', 'POST', '/catalog/services', {
      code: serviceCode,
      title: 'سرویس آزمایشی ارائه‌دهنده',
      environments: ['GSB'],
      upstreamUrl: provider.url,
    });
    expect(published.status).toBe(201);

    // The catalog entry travels over gsb.catalog; without a grant the call is refused and reaches no one.
    const denied = await until(throughGateway, (r) => r.status === 403, 'denied once the service is known');
    expect(denied.body.code).toBe('GSB.ACCESS_DENIED');
    expect(provider.seen.length).toBe(0);

    // Connection process (steps 4–5), then the service request (steps 6–14) and the review.
    const connection = await call('consumer', 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 'سامانه مصرف‌کننده', purpose: 'تبادل اطلاعات' }],
      ipRanges: ['10.30.0.0/16'],
      credential: { type: 'MTLS_CERTIFICATE', certificateSha256: 'cd'.repeat(32) },
      contact: { name: 'رابط فنی', email: 'tech@consumer.example.ir', phone: '021-88776655' },
    });
    expect(connection.status).toBe(201);
    const review = async (id: string) => {
      expect((await call('consumer', 'POST', `/requests/${id}/submit`, {})).status).toBe(200);
      expect((await call('expert', 'POST', `/review/${id}/claim`, {})).status).toBe(200);
      expect((await call('expert', 'PUT', `/review/${id}/evaluation`, { qualified: true, priority: 'NORMAL' })).status).toBe(200);
      return call('expert', 'POST', `/review/${id}/approve`, { quotaPerMinute: 600 });
    };
    expect((await review(connection.body.id)).body.state).toBe('APPROVED');

    const request = await call('consumer', 'POST', '/requests', {
      environment: 'GSB',
      serviceCode,
      system: { name: 'سامانه مصرف‌کننده', purpose: 'استعلام', ipAddresses: ['10.30.0.10'] },
      letter: { number: '۹۸۷/ص/۱۴۰۵', date: '2026-11-20', issuingAgencyId: providerAgency },
      contact: { name: 'مریم احمدی', email: 'maryam@consumer.example.ir', phone: '09121234567' },
    });
    expect(request.status).toBe(201);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PDF)]), 'letter.pdf');
    const letter = await fetch(`${workflow.url}/requests/${request.body.id}/letter-file`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.consumer}` },
      body: form,
    });
    expect(letter.status).toBe(200);
    expect((await call('consumer', 'GET', `/requests/${request.body.id}/deficiencies`)).body).toEqual({ complete: true, deficiencies: [] });
    const approved = await review(request.body.id);
    expect(approved.body.state).toBe('APPROVED');
    const approvedAt = performance.now();

    const allowed = await untilSoon(throughGateway, (r) => r.status === 200, 'allowed once the grant is projected');
    latencies.approvalToAllowedMs = Math.round(performance.now() - approvedAt);
    expect(allowed.status).toBe(200);
    expect(provider.seen.at(-1)?.url).toBe('/echo');

    // The exchange log holds both answers, as the consumer sees them.
    const log = await until(
      async () => (await fetch(`${gateway.url}/gsb/exchange-log?serviceCode=${serviceCode}`, { headers: { authorization: `Bearer ${tokens.consumer}` } })).json() as Promise<JsonBody>,
      (b) => Array.isArray(b.items) && b.items.some((i: JsonBody) => i.status === 200) && b.items.some((i: JsonBody) => i.status === 403),
      'exchange log with the denied and the allowed call',
    );
    expect(log.items.every((i: JsonBody) => i.serviceCode === serviceCode)).toBe(true);

    const grant = (await call('consumer', 'GET', '/grants')).body.items.find((g: JsonBody) => g.serviceCode === serviceCode);
    expect((await call('provider', 'POST', `/grants/${grant.grantId}/suspend`, { reason: 'بازبینی امنیتی' })).body.status).toBe('SUSPENDED');
    const suspendedAt = performance.now();
    const stopped = await untilSoon(throughGateway, (r) => r.status === 403, 'refused after the suspension');
    latencies.suspensionToRefusedMs = Math.round(performance.now() - suspendedAt);
    expect(stopped.body.code).toBe('GSB.ACCESS_DENIED');
    const seenBefore = provider.seen.length;
    expect((await throughGateway()).status).toBe(403);
    expect(provider.seen.length).toBe(seenBefore);
  }, 120_000);
});
