import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { CITIZEN_REGISTERED_V1 } from '@darvazeh/contracts';
import { MessageBus } from '@darvazeh/messaging';
import { startTestService, type TestService } from '@darvazeh/testing';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { EffectiveJob } from '../src/notices/application/effective-job.js';
import { Clock } from '../src/shared/domain/clock.js';
import { caller, eventually } from './support.js';

const ALI = '0012345679';
const AGENCY = '0190a1b2-0000-7000-8000-0000000000aa';

/** Real time plus an offset the test moves forward (days pass in a line of code). */
class OffsetClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

interface Received {
  status: number;
  verified: boolean;
  type: string;
}

/** An agency's receiver: answers from a script of statuses and checks every signature itself. */
function receiver(script: number[], secret: () => string) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-karpoosheh-timestamp']);
      const expected = Buffer.from(`v1=${createHmac('sha256', secret()).update(`${ts}.${body}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-karpoosheh-signature']));
      const verified = expected.length === given.length && timingSafeEqual(expected, given) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
      const status = script.length > 0 ? script.shift()! : 200;
      received.push({ status, verified, type: JSON.parse(body).type });
      res.writeHead(verified ? status : 401).end();
    });
  });
  return {
    received,
    server,
    url: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`))),
  };
}

describe('karpoosheh webhooks and deemed delivery', () => {
  let svc: TestService<KarpooshehEnv>;
  let ds: DataSource;
  const clock = new OffsetClock();
  const t: Record<string, string> = {};
  const call = caller(() => svc);
  let secret = '';
  const hook = receiver([503, 429], () => secret);

  beforeAll(async () => {
    svc = await startTestService({
      service: KARPOOSHEH_SERVICE,
      envClass: KarpooshehEnv,
      module: (env) => KarpooshehModule.register(env, { clock }),
      label: 'karpoosheh_hooks',
      env: { WEBHOOK_BASE_DELAY_MS: '50', WEBHOOK_MAX_DELAY_MS: '1000', WORKER_POLL_MS: '50', EFFECTIVE_AFTER_DAYS: '10' },
    });
    ds = svc.app.get(DataSource);
    t.agency = await svc.issuer.mintToken({ sub: 'client-a', roles: ['agency'], agency_id: AGENCY });
    t.admin = await svc.issuer.mintToken({ sub: 'admin', roles: ['admin'] });
    t.ali = await svc.issuer.mintToken({ sub: 'citizen-ali', roles: ['citizen'], national_code: ALI });
    await svc.app.get(MessageBus).publish([
      { specversion: '1.0', id: randomUUID(), type: CITIZEN_REGISTERED_V1, source: '/t', subject: ALI, time: new Date().toISOString(), topic: 'identity.principals', data: { citizenId: randomUUID(), nationalCode: ALI, registeredAt: new Date().toISOString() } },
    ]);
    await eventually(() => ds.query('SELECT count(*)::int AS n FROM citizens'), (r) => r[0].n === 1);
    await call('/senders/me/access-request', { method: 'POST', token: t.agency });
    await call(`/senders/${AGENCY}/grant`, { method: 'POST', token: t.admin });
  }, 90_000);
  afterAll(async () => {
    await svc?.close();
    hook.server.close();
  });

  it('retries a failing receiver (503, 429) with backoff until it accepts, signing every attempt', async () => {
    const cb = await call('/senders/me/callback', { method: 'PUT', token: t.agency, body: { callbackUrl: await hook.url() } });
    expect(cb.status).toBe(200);
    secret = cb.json.secret;
    const sent = await call('/notices', { token: t.agency, body: { recipients: [ALI], subject: 'hook', body: 'b', category: 'tax' }, headers: { 'idempotency-key': randomUUID() } });
    expect(sent.status).toBe(201);
    const deliveries = await eventually(
      () => call('/senders/me/webhooks', { token: t.agency }),
      (r) => r.json.items.length === 2 && r.json.items.every((i: { status: string }) => i.status === 'DELIVERED'),
    );
    expect(deliveries.json.items.map((i: { eventType: string }) => i.eventType).sort()).toEqual([
      'ir.darvazeh.karpoosheh.notice.recipient-accepted.v1',
      'ir.darvazeh.karpoosheh.notice.recipient-delivered.v1',
    ]);
    expect(hook.received.every((r) => r.verified)).toBe(true);
    expect(hook.received.map((r) => r.status)).toEqual([503, 429, 200, 200]);
    // Two failures spread over the two deliveries (they go out concurrently), then one success each.
    expect(deliveries.json.items.reduce((n: number, i: { attempts: number }) => n + i.attempts, 0)).toBe(4);
  });

  it('parks a delivery a receiver keeps failing after 24 h, visibly, and can re-queue it', async () => {
    hook.server.close();
    const sent = await call('/notices', { token: t.agency, body: { recipients: [ALI], subject: 'down', body: 'b', category: 'tax' }, headers: { 'idempotency-key': randomUUID() } });
    await eventually(() => ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'PENDING' AND attempts >= 1`), (r) => r[0].n === 2);
    clock.offsetMs += 25 * 3_600_000;
    const parked = await eventually(() => call('/senders/me/webhooks?status=PARKED', { token: t.agency }), (r) => r.json.items.length === 2);
    expect(parked.json.items[0].lastError).toBeTruthy();
    const retry = await call(`/senders/me/webhooks/${parked.json.items[0].eventId}/retry`, { method: 'POST', token: t.agency });
    expect(retry.status).toBe(202);
    expect(sent.status).toBe(201);
  });

  it('refuses an http callback URL in production mode', async () => {
    const env = svc.app.get(KarpooshehEnv);
    env.KARPOOSHEH_MODE = 'production';
    try {
      const r = await call('/senders/me/callback', { method: 'PUT', token: t.agency, body: { callbackUrl: 'http://agency.example/cb' } });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('KARPOOSHEH.CALLBACK_URL_INVALID');
    } finally {
      env.KARPOOSHEH_MODE = 'development';
    }
  });

  it('makes an unopened notice EFFECTIVE after N days, and records a later opening as VIEWED', async () => {
    await call('/senders/me/callback', { method: 'PUT', token: t.agency, body: { callbackUrl: null } });
    const sent = await call('/notices', { token: t.agency, body: { recipients: [ALI], subject: 'deemed', body: 'b', category: 'tax' }, headers: { 'idempotency-key': randomUUID() } });
    const job = svc.app.get(EffectiveJob);
    await job.runAll();
    expect((await call(`/notices/${sent.json.noticeId}/recipients/${ALI}`, { token: t.agency })).json.state).toBe('DELIVERED');
    clock.offsetMs += 11 * 86_400_000;
    expect(await job.runAll()).toBeGreaterThanOrEqual(1);
    const status = (await call(`/notices/${sent.json.noticeId}/recipients/${ALI}`, { token: t.agency })).json;
    expect(status.state).toBe('EFFECTIVE');
    expect(new Date(status.effectiveAt).getTime() - new Date(status.deliveredAt).getTime()).toBe(10 * 86_400_000);
    const opened = await call(`/inbox/${sent.json.noticeId}`, { token: t.ali });
    expect(opened.json.state).toBe('VIEWED');
    expect((await call(`/notices/${sent.json.noticeId}/audit/verify`, { token: t.agency })).json).toMatchObject({ valid: true, entries: 4 });
  });
});
