import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readTopicWithKcat, startTestService, testKafkaBrokers, testTopic, type JsonBody, type TestService } from '@darvazeh/testing';
import { GsbWorkflowEnv } from '../src/config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE } from '../src/gsb-workflow.module.js';
import { EscalateOverdueUseCase } from '../src/review/application/escalate-overdue.use-case.js';

/** Four-eyes on PGSB, connection activation, SLA escalation and the stored history, against real Postgres and Kafka. */
describe('review: four eyes, SLA escalation, history', () => {
  let svc: TestService<GsbWorkflowEnv>;
  const tokens: Record<string, string> = {};
  const agency = randomUUID();
  const call = async (who: string, method: string, path: string, json?: unknown): Promise<{ status: number; body: JsonBody }> => {
    const res = await fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    svc = await startTestService({
      service: SERVICE,
      envClass: GsbWorkflowEnv,
      module: (env) => GsbWorkflowModule.register(env),
      label: 'gsb_review_int',
      env: { SLA_CHECK_INTERVAL_SECONDS: '0', SLA_CLAIM_WORKING_HOURS: '4', SLA_DECISION_DAYS: '5', CATALOG_SEED: 'false' },
    });
    tokens.a = await svc.issuer.mintToken({ sub: 'agency-client', roles: ['agency'], agency_id: agency });
    tokens.e1 = await svc.issuer.mintToken({ sub: 'expert-1', roles: ['expert'] });
    tokens.e2 = await svc.issuer.mintToken({ sub: 'expert-2', roles: ['expert'] });
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
  });

  let id: string;

  it('a PGSB connection needs a second expert; the first cannot approve twice', async () => {
    const c = await call('a', 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB', 'PGSB'],
      systems: [{ name: 'سامانه', purpose: 'تبادل' }],
      ipRanges: ['192.0.2.0/24'],
      credential: { type: 'CLIENT_CREDENTIALS', clientId: 'agency-client' },
      contact: { name: 'رابط', email: 'a@b.ir', phone: '09121234567' },
    });
    id = c.body.id;
    const sent = await call('a', 'POST', `/requests/${id}/submit`, {});
    expect(sent.body.state).toBe('SUBMITTED');
    await call('e1', 'POST', `/review/${id}/claim`, {});
    await call('e1', 'PUT', `/review/${id}/evaluation`, { qualified: true, priority: 'URGENT' });
    expect((await call('e1', 'POST', `/review/${id}/approve`, {})).body.state).toBe('PENDING_SECOND_APPROVAL');
    expect((await call('a', 'GET', '/connections')).body.items).toEqual([]);
    expect((await call('e1', 'POST', `/review/${id}/approve`, {})).body.code).toBe('GSB.SECOND_APPROVER_REQUIRED');
    expect((await call('e2', 'POST', `/review/${id}/approve`, {})).body.state).toBe('APPROVED');
    const conns = (await call('a', 'GET', '/connections')).body.items;
    expect(conns.map((c: JsonBody) => c.environment)).toEqual(['GSB', 'PGSB']);
    const events = await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.requests'), { count: 7 });
    expect(events.filter((e) => e.headers.ce_type === 'ir.darvazeh.gsb.connection.activated.v1').map((e) => (e.payload as JsonBody).environment).sort()).toEqual(['GSB', 'PGSB']);
  });

  it('stores every step as history: who, when, from → to', async () => {
    const h = (await call('a', 'GET', `/requests/${id}/history`)).body.items;
    expect(h.map((x: JsonBody) => `${x.action}:${x.actor}:${x.fromState}>${x.toState}`)).toEqual([
      'create:agency-client:null>DRAFT',
      'submit:agency-client:DRAFT>SUBMITTED',
      'claim:expert-1:SUBMITTED>IN_REVIEW',
      'evaluate:expert-1:IN_REVIEW>IN_REVIEW',
      'approve:expert-1:IN_REVIEW>PENDING_SECOND_APPROVAL',
      'approve:expert-2:PENDING_SECOND_APPROVAL>APPROVED',
    ]);
    for (const x of h) expect(Date.parse(x.at)).not.toBeNaN();
  });

  it('a decided request is off the SLA clock; an already connected environment is a deficiency', async () => {
    // A second connection request while none is open: the first was approved.
    const r = await call('a', 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 's', purpose: 'p' }],
      ipRanges: ['192.0.2.0/24'],
      credential: { type: 'CLIENT_CREDENTIALS', clientId: 'c' },
      contact: { name: 'n', email: 'a@b.ir', phone: '09121234567' },
    });
    // GSB is already connected: a deficiency.
    expect((await call('a', 'GET', `/requests/${r.body.id}/deficiencies`)).body.deficiencies.map((d: JsonBody) => d.code)).toEqual(['DUPLICATE_ACTIVE_CONNECTION']);
    await call('a', 'PATCH', `/requests/${r.body.id}`, { connectionEnvironments: [] });

    const escalate = svc.app.get(EscalateOverdueUseCase);
    // The approved request is off the clock: nothing to escalate now or in a month.
    expect(await escalate.execute(new Date())).toEqual([]);
    expect(await escalate.execute(new Date(Date.now() + 30 * 86_400_000))).toEqual([]);
  });

  it('an open submitted request is escalated for claim and for decision, each once', async () => {
    const other = randomUUID();
    tokens.o = await svc.issuer.mintToken({ sub: 'other-client', roles: ['agency'], agency_id: other });
    const c = await call('o', 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 's', purpose: 'p' }],
      ipRanges: ['198.51.100.0/24'],
      credential: { type: 'CLIENT_CREDENTIALS', clientId: 'other-client' },
      contact: { name: 'n', email: 'a@b.ir', phone: '021-88776655' },
    });
    const sent = await call('o', 'POST', `/requests/${c.body.id}/submit`, {});
    const claimDue = new Date(sent.body.claimDueAt);
    const escalate = svc.app.get(EscalateOverdueUseCase);
    expect(await escalate.execute(new Date(claimDue.getTime() - 1000))).toEqual([]);
    expect(await escalate.execute(claimDue)).toEqual([{ requestId: c.body.id, sla: 'CLAIM' }]);
    expect(await escalate.execute(claimDue)).toEqual([]);
    const queue = (await call('e1', 'GET', '/review/queue?escalated=true')).body.items;
    expect(queue.map((x: JsonBody) => x.id)).toEqual([c.body.id]);
    expect(queue[0].escalated.claim).not.toBeNull();
    expect(await escalate.execute(new Date(sent.body.decisionDueAt))).toEqual([{ requestId: c.body.id, sla: 'DECISION' }]);
    // The relay publishes asynchronously and the topic holds every earlier test's events too:
    // read all of it until both escalations are there (or give up after 15 s).
    const escalations = async () =>
      (await readTopicWithKcat(testKafkaBrokers(), testTopic('gsb.requests'), { timeoutMs: 5_000 }).catch(() => []))
        .filter((e) => e.headers.ce_type === 'ir.darvazeh.gsb.request.escalated.v1' && (e.payload as JsonBody).requestId === c.body.id)
        .map((e) => (e.payload as JsonBody).sla as string);
    let esc = await escalations();
    for (const deadline = Date.now() + 15_000; !(esc.includes('CLAIM') && esc.includes('DECISION')) && Date.now() < deadline; esc = await escalations()) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect([...new Set(esc)].sort()).toEqual(['CLAIM', 'DECISION']);
  });
  it('two experts claiming at once: one claim is taken, the other refused, and the history has one claim', async () => {
    const third = randomUUID();
    tokens.t = await svc.issuer.mintToken({ sub: 'third-client', roles: ['agency'], agency_id: third });
    const c = await call('t', 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 's', purpose: 'p' }],
      ipRanges: ['203.0.113.0/24'],
      credential: { type: 'CLIENT_CREDENTIALS', clientId: 'third-client' },
      contact: { name: 'n', email: 'a@b.ir', phone: '09121234567' },
    });
    expect((await call('t', 'POST', `/requests/${c.body.id}/submit`, {})).body.state).toBe('SUBMITTED');
    // Each step is one read and one version-guarded write: both read SUBMITTED, one write wins,
    // the other finds the version changed, reads IN_REVIEW and is refused.
    const claims = await Promise.all([call('e1', 'POST', `/review/${c.body.id}/claim`, {}), call('e2', 'POST', `/review/${c.body.id}/claim`, {})]);
    expect(claims.map((x) => x.status).sort()).toEqual([200, 409]);
    const won = claims.find((x) => x.status === 200)!;
    expect(claims.find((x) => x.status === 409)!.body.code).toBe('GSB.TRANSITION_NOT_ALLOWED');
    const current = (await call('t', 'GET', `/requests/${c.body.id}`)).body;
    expect([current.state, current.version]).toEqual(['IN_REVIEW', won.body.version]);
    const h = (await call('t', 'GET', `/requests/${c.body.id}/history`)).body.items;
    expect(h.map((x: JsonBody) => x.action)).toEqual(['create', 'submit', 'claim']);
  });
});
