import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { PRINCIPAL_DISABLED_V1 } from '@darvazeh/contracts';
import { produceWithKcat, readTopicWithKcat, startTestService, testKafkaBrokers, testTopic, type JsonBody, type TestService } from '@darvazeh/testing';
import { GsbWorkflowEnv } from '../src/config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE } from '../src/gsb-workflow.module.js';

const PROVIDER = '00000000-0000-4000-8000-0000000000a1';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n'), Buffer.alloc(200, 32)]);

/** The 14-step process over real HTTP, Postgres and Kafka, with tokens from a real (test) issuer. */
describe('gsb-workflow (HTTP + Postgres + Kafka)', () => {
  let svc: TestService<GsbWorkflowEnv>;
  const tokens: Record<string, string> = {};
  const agencyA = randomUUID();
  const agencyB = randomUUID();

  const call = async (who: string, method: string, path: string, json?: unknown): Promise<{ status: number; body: JsonBody; type: string }> => {
    const res = await fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') ?? '' };
  };
  const upload = async (who: string, id: string, bytes: Buffer, name = 'letter.pdf') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${svc.url}/requests/${id}/letter-file`, { method: 'PUT', headers: { authorization: `Bearer ${tokens[who]}` }, body: form });
    return { status: res.status, body: (await res.json()) as JsonBody };
  };
  const historyOf = async (id: string): Promise<JsonBody[]> => (await call('a', 'GET', `/requests/${id}/history`)).body.items;
  /** Polls gsb.requests (the outbox relays asynchronously) until a message matches. */
  const awaitOnRequests = async (match: (type: string, payload: JsonBody) => boolean): Promise<JsonBody> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const msgs = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.requests'), { timeoutMs: 5_000 }).catch(() => []);
      const hit = msgs.find((m) => match(m.headers.ce_type, m.payload as JsonBody));
      if (hit) return hit.payload as JsonBody;
      if (Date.now() > deadline) throw new Error('no matching message on gsb.requests');
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /** The connection process for GSB, start to approval (no four-eyes on GSB). */
  const connect = async (agency: 'a' | 'b') => {
    const c = await call(agency, 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 'سامانه جامع', purpose: 'تبادل اطلاعات' }],
      ipRanges: ['10.20.0.0/16'],
      credential: { type: 'MTLS_CERTIFICATE', certificateSha256: 'ab'.repeat(32) },
      contact: { name: 'رابط فنی', email: 'tech@agency.example.ir', phone: '021-88776655' },
    });
    expect(c.status).toBe(201);
    expect((await call(agency, 'POST', `/requests/${c.body.id}/submit`, {})).status).toBe(200);
    expect((await call('expert1', 'POST', `/review/${c.body.id}/claim`, {})).status).toBe(200);
    expect((await call('expert1', 'PUT', `/review/${c.body.id}/evaluation`, { qualified: true, priority: 'NORMAL' })).status).toBe(200);
    const ok = await call('expert1', 'POST', `/review/${c.body.id}/approve`, {});
    expect(ok.body.state).toBe('APPROVED');
  };

  const completeService = {
    environment: 'GSB',
    serviceCode: 'hamta.imei-status',
    system: { name: 'سامانه گمرک', purpose: 'استعلام IMEI کالاهای وارداتی', ipAddresses: ['10.20.30.40'] },
    letter: { number: '۱۲۳۴/ص/۱۴۰۵', date: '2026-11-01', issuingAgencyId: PROVIDER },
    contact: { name: 'علی رضایی', email: 'ali@customs.example.ir', phone: '09121234567' },
  };

  beforeAll(async () => {
    svc = await startTestService({
      service: SERVICE,
      envClass: GsbWorkflowEnv,
      module: (env) => GsbWorkflowModule.register(env),
      label: 'gsb_e2e',
      env: { SLA_CHECK_INTERVAL_SECONDS: '0', GSB_FOUR_EYES_PGSB: 'true' },
    });
    tokens.a = await svc.issuer.mintToken({ sub: 'agency-a-client', roles: ['agency'], agency_id: agencyA });
    tokens.b = await svc.issuer.mintToken({ sub: 'agency-b-client', roles: ['agency'], agency_id: agencyB });
    tokens.provider = await svc.issuer.mintToken({ sub: 'provider-client', roles: ['agency'], agency_id: PROVIDER });
    tokens.expert1 = await svc.issuer.mintToken({ sub: 'expert-1', roles: ['expert'] });
    tokens.expert2 = await svc.issuer.mintToken({ sub: 'expert-2', roles: ['expert'] });
    tokens.admin = await svc.issuer.mintToken({ sub: 'admin-1', roles: ['admin'] });
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
  });

  it('documents every operation in OpenAPI with a summary (issue 16)', async () => {
    const doc = (await call('a', 'GET', '/docs/openapi.json')).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ at: `${method} ${path}`, op })));
    expect(ops.length).toBeGreaterThan(25);
    expect(ops.filter((o) => !o.op.summary).map((o) => o.at)).toEqual([]);
  });

  it('exports the workflow as BPMN 2.0 XML and Mermaid', async () => {
    const bpmn = await fetch(`${svc.url}/workflow/bpmn`);
    expect(bpmn.headers.get('content-type')).toContain('application/bpmn+xml');
    expect(await bpmn.text()).toContain('<bpmn:process id="gsb_service_request"');
    expect(await (await fetch(`${svc.url}/workflow/mermaid`)).text()).toContain('stateDiagram-v2');
  });

  it('seeds the catalog with the platform services and publishes them on gsb.catalog', async () => {
    const page = await call('a', 'GET', '/catalog/services?limit=2');
    expect(page.body.items.map((s: JsonBody) => s.code)).toEqual(['hamta.imei-status', 'karpoosheh.send-notice']);
    const next = await call('a', 'GET', `/catalog/services?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.items.map((s: JsonBody) => s.code)).toEqual(['ocsp.status']);
    const found = await call('a', 'GET', '/catalog/services?q=OCSP');
    expect(found.body.items.map((s: JsonBody) => s.code)).toEqual(['ocsp.status']);
    const msgs = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.catalog'), { count: 3 });
    expect(msgs.map((m) => (m.payload as JsonBody).serviceCode).sort()).toEqual(['hamta.imei-status', 'karpoosheh.send-notice', 'ocsp.status']);
    expect(msgs[0].headers.ce_type).toBe('ir.darvazeh.gsb.service.changed.v1');
  });

  it('a provider manages only its own catalog entries', async () => {
    const other = await call('a', 'PATCH', '/catalog/services/hamta.imei-status', { title: 'x' });
    expect(other.status).toBe(403);
    const own = await call('provider', 'PATCH', '/catalog/services/ocsp.status', { description: 'RFC 6960 status' });
    expect(own.status).toBe(200);
    expect(own.body.version).toBe(2);
  });

  it('steps 4–5: an agency without a connection is sent to the connection process', async () => {
    const r = await call('a', 'POST', '/requests', { environment: 'GSB' });
    expect(r.status).toBe(422);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.code).toBe('GSB.NOT_CONNECTED');
    expect(r.body.hint).toContain('/connections/requests');
    expect((await call('a', 'GET', '/requests')).body.items).toEqual([]);
  });

  let requestId: string;

  it('steps 6–13: a draft filled in any order lists its deficiencies; submit with any is 422 and changes nothing', async () => {
    await connect('a');
    const created = await call('a', 'POST', '/requests', { environment: 'GSB' });
    expect(created.status).toBe(201);
    requestId = created.body.id;
    await call('a', 'PATCH', `/requests/${requestId}`, { contact: { email: 'not-an-email', phone: '123' } });
    const d = await call('a', 'GET', `/requests/${requestId}/deficiencies`);
    const codes = d.body.deficiencies.map((x: JsonBody) => x.code);
    expect(d.body.complete).toBe(false);
    expect(codes).toEqual(expect.arrayContaining(['LETTER_NUMBER_MISSING', 'LETTER_FILE_MISSING', 'SERVICE_MISSING', 'CONTACT_EMAIL_INVALID', 'CONTACT_PHONE_INVALID', 'SYSTEM_INCOMPLETE']));
    const refused = await call('a', 'POST', `/requests/${requestId}/submit`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('GSB.REQUEST_INCOMPLETE');
    expect(refused.body.errors.map((x: JsonBody) => x.code)).toEqual(codes);
    expect((await call('a', 'GET', `/requests/${requestId}`)).body.state).toBe('DRAFT');
  });

  it('refuses a letter that is not an image or PDF (sniffed from the bytes) and stores nothing', async () => {
    const bad = await upload('a', requestId, Buffer.from('PK\u0003\u0004 this is a zip pretending'), 'letter.pdf');
    expect(bad.status).toBe(415);
    expect(bad.body.code).toBe('GSB.LETTER_FILE_TYPE');
    expect((await call('a', 'GET', `/requests/${requestId}`)).body.letterFile).toBeNull();
  });

  it('another agency never sees the request', async () => {
    expect((await call('b', 'GET', `/requests/${requestId}`)).status).toBe(404);
    expect((await call('b', 'GET', `/requests/${requestId}/deficiencies`)).status).toBe(404);
    expect((await call('b', 'PATCH', `/requests/${requestId}`, { serviceCode: 'x.y' })).status).toBe(404);
    expect((await call('b', 'GET', '/requests')).body.items).toEqual([]);
  });

  it('step 14: once fixed, "send to expert" makes it SUBMITTED with due times in the queue', async () => {
    const up = await upload('a', requestId, PDF);
    expect(up.status).toBe(200);
    expect(up.body.contentType).toBe('application/pdf');
    expect(up.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The upload is an edit in the history: which file (type, size, digest), never its bytes.
    const uploaded = (await historyOf(requestId)).at(-1)!;
    expect(uploaded).toMatchObject({ action: 'edit', fromState: 'DRAFT', toState: 'DRAFT', actor: 'agency-a-client', details: { fields: ['letterFile'], letterFile: { contentType: 'application/pdf', sha256: up.body.sha256 } } });
    expect(JSON.stringify(uploaded)).not.toContain('PDF-1.4');
    await call('a', 'PATCH', `/requests/${requestId}`, completeService);
    expect((await call('a', 'GET', `/requests/${requestId}/deficiencies`)).body).toEqual({ complete: true, deficiencies: [] });
    const sent = await call('a', 'POST', `/requests/${requestId}/submit`, {});
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe('SUBMITTED');
    expect(sent.body.claimDueAt).not.toBeNull();
    expect(sent.body.decisionDueAt).not.toBeNull();
    const queue = await call('expert1', 'GET', '/review/queue?environment=GSB&kind=SERVICE');
    expect(queue.body.items.map((r: JsonBody) => r.id)).toContain(requestId);
    expect((await call('a', 'GET', '/review/queue')).status).toBe(403);
  });

  it('return for correction loops back to the applicant, who fixes and resubmits', async () => {
    expect((await call('expert1', 'POST', `/review/${requestId}/claim`, {})).body.state).toBe('IN_REVIEW');
    expect((await call('expert2', 'POST', `/review/${requestId}/return`, { fixes: [{ field: 'letter.number', message: 'x' }] })).body.code).toBe('GSB.NOT_CLAIMANT');
    const ret = await call('expert1', 'POST', `/review/${requestId}/return`, { fixes: [{ field: 'letter.number', message: 'شماره نامه با تصویر نامه یکسان نیست' }] });
    expect(ret.body.state).toBe('RETURNED');
    expect(ret.body.fixes).toHaveLength(1);
    const before = await historyOf(requestId);
    const fixed = await call('a', 'PATCH', `/requests/${requestId}`, { letter: { number: '۱۲۳۵/ص/۱۴۰۵' } });
    expect(fixed.status).toBe(200);
    // The edit is in the history (who, when, which fields — state unchanged) and on gsb.requests.
    const after = await historyOf(requestId);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ action: 'edit', actor: 'agency-a-client', actorRole: 'agency', fromState: 'RETURNED', toState: 'RETURNED', details: { fields: ['letter.number'] } });
    expect(Date.parse(after.at(-1)!.at as string)).not.toBeNaN();
    const ev = await awaitOnRequests((type, p) => type === 'ir.darvazeh.gsb.request.edited.v1' && p.requestId === requestId && p.state === 'RETURNED');
    expect(ev).toMatchObject({ fields: ['letter.number'], actor: 'agency-a-client', version: fixed.body.version });
    expect(JSON.stringify(ev)).not.toContain('۱۲۳۵');
    // The same value again is no edit: nothing is written.
    await call('a', 'PATCH', `/requests/${requestId}`, { letter: { number: '۱۲۳۵/ص/۱۴۰۵' } });
    expect(await historyOf(requestId)).toHaveLength(after.length);
    expect((await call('a', 'POST', `/requests/${requestId}/submit`, {})).body.state).toBe('SUBMITTED');
  });

  it('approval needs the evaluation, then issues a grant published on gsb.grants', async () => {
    await call('expert1', 'POST', `/review/${requestId}/claim`, {});
    const early = await call('expert1', 'POST', `/review/${requestId}/approve`, {});
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('GSB.NOT_EVALUATED');
    await call('expert1', 'PUT', `/review/${requestId}/evaluation`, { qualified: true, priority: 'HIGH', notes: 'مجوز معتبر' });
    const ok = await call('expert1', 'POST', `/review/${requestId}/approve`, { quotaPerMinute: 120 });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('APPROVED');
    const grants = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.grants'), { count: 1 });
    const g = grants[0].payload as JsonBody;
    expect(grants[0].headers.ce_type).toBe('ir.darvazeh.gsb.grant.issued.v1');
    expect(g).toMatchObject({ grantId: ok.body.grantId, requestId, consumerAgencyId: agencyA, providerAgencyId: PROVIDER, serviceCode: 'hamta.imei-status', environment: 'GSB', status: 'ACTIVE', quotaPerMinute: 120, version: 1 });
    const history = await call('a', 'GET', `/requests/${requestId}/history`);
    expect(history.body.items.filter((h: JsonBody) => h.action !== 'evaluate' && h.action !== 'edit').map((h: JsonBody) => `${h.fromState}>${h.toState}`)).toEqual([
      'null>DRAFT', 'DRAFT>SUBMITTED', 'SUBMITTED>IN_REVIEW', 'IN_REVIEW>RETURNED', 'RETURNED>SUBMITTED', 'SUBMITTED>IN_REVIEW', 'IN_REVIEW>APPROVED',
    ]);
    const steps = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.requests'), { count: 1, timeoutMs: 15_000 });
    expect(steps.length).toBeGreaterThan(0);
  });

  it('a duplicate of the active grant is a deficiency', async () => {
    const dup = await call('a', 'POST', '/requests', completeService);
    const d = await call('a', 'GET', `/requests/${dup.body.id}/deficiencies`);
    expect(d.body.deficiencies.map((x: JsonBody) => x.code)).toEqual(expect.arrayContaining(['DUPLICATE_ACTIVE_GRANT']));
  });

  it('the provider suspends, reinstates and revokes the grant; the consumer cannot', async () => {
    const list = await call('a', 'GET', '/grants');
    const id = list.body.items[0].grantId;
    expect((await call('a', 'POST', `/grants/${id}/suspend`, { reason: 'x' })).status).toBe(403);
    expect((await call('provider', 'POST', `/grants/${id}/suspend`, { reason: 'بررسی امنیتی' })).body.status).toBe('SUSPENDED');
    expect((await call('admin', 'POST', `/grants/${id}/reinstate`, {})).body.status).toBe('ACTIVE');
    expect((await call('provider', 'POST', `/grants/${id}/revoke`, { reason: 'پایان قرارداد' })).body.version).toBe(4);
    const events = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.grants'), { count: 4 });
    expect(events.map((e) => e.headers.ce_type.split('.').slice(-2)[0])).toEqual(['issued', 'suspended', 'reinstated', 'revoked']);
  });

  it('an expert rejects with a reason', async () => {
    await connect('b');
    const r = await call('b', 'POST', '/requests', { ...completeService, serviceCode: 'ocsp.status' });
    await upload('b', r.body.id, PDF);
    expect((await call('b', 'POST', `/requests/${r.body.id}/submit`, {})).status).toBe(200);
    await call('expert2', 'POST', `/review/${r.body.id}/claim`, {});
    expect((await call('expert2', 'POST', `/review/${r.body.id}/reject`, {})).status).toBe(400);
    const rej = await call('expert2', 'POST', `/review/${r.body.id}/reject`, { reason: 'نامهٔ مجوز منقضی شده است' });
    expect(rej.body.state).toBe('REJECTED');
    expect(rej.body.decisionReason).toBe('نامهٔ مجوز منقضی شده است');
    expect((await call('b', 'POST', `/requests/${r.body.id}/submit`, {})).body.code).toBe('GSB.TRANSITION_NOT_ALLOWED');
  });

  it('refuses the token of a principal disabled at identity once the event arrives, before it expires', async () => {
    tokens.soonDisabled = await svc.issuer.mintToken({ sub: 'agency-c-client', roles: ['agency'], agency_id: randomUUID() });
    expect((await call('soonDisabled', 'GET', '/requests')).status).toBe(200);
    await produceWithKcat(testKafkaBrokers(), testTopic('identity.principals'), [
      {
        key: 'agency-c-client',
        value: { principalId: randomUUID(), subject: 'agency-c-client', kind: 'service_client', at: new Date().toISOString() },
        headers: {
          ce_id: randomUUID(), ce_type: PRINCIPAL_DISABLED_V1, ce_source: '/darvazeh/identity', ce_specversion: '1.0',
          ce_time: new Date().toISOString(), ce_subject: 'agency-c-client', 'content-type': 'application/json',
        },
      },
    ]);
    let refused: { status: number; body: JsonBody } | undefined;
    for (let i = 0; i < 300 && refused?.status !== 403; i += 1) {
      refused = await call('soonDisabled', 'GET', '/requests');
      if (refused.status !== 403) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused?.status).toBe(403);
    expect(refused?.body.code).toBe('AUTH.PRINCIPAL_DISABLED');
    expect((await call('a', 'GET', '/requests')).status).toBe(200);
  });
});
