import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { startTestService, type TestService } from '@darvazeh/testing';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { NoticesFastPath } from '../src/notices/http/notices-fast-path.js';
import { caller, grantedSender, type CallResult } from './support.js';

const ALI = '0012345679';
const COMPANY = '10380284790';
const AGENCY = '0190a1b2-0000-7000-8000-000000000051';
const UNGRANTED = '0190a1b2-0000-7000-8000-000000000052';

/**
 * POST /notices answered by NoticesFastPath (a Fastify hook) and by NoticesController must be
 * the same answer. Each request is made twice: once as the app runs, once with the fast path
 * told to decline (its `answer` spied to resolve false), so the controller answers it.
 */
describe('POST /notices fast path answers exactly as the controller', () => {
  let svc: TestService<KarpooshehEnv>;
  let ds: DataSource;
  let fast: NoticesFastPath;
  const t: Record<string, string> = {};
  const call = caller(() => svc);
  /** What each fast-path attempt resolved to (true = answered) or 'threw' (left to the controller). */
  let attempts: (boolean | 'threw')[] = [];
  let forceController = false;
  const notice = (extra: Record<string, unknown> = {}) => ({ recipients: [ALI], subject: 'ابلاغیه', body: 'متن', category: 'tax', ...extra });
  const post = (body: unknown, opts: { key?: string | null; token?: string | null } = {}) =>
    call('/notices', {
      body,
      ...(opts.token === null ? {} : { token: opts.token ?? t.agency }),
      headers: opts.key === null ? {} : { 'idempotency-key': opts.key ?? randomUUID() },
    });
  const viaController = async <T>(run: () => Promise<T>): Promise<T> => {
    forceController = true;
    try {
      return await run();
    } finally {
      forceController = false;
    }
  };
  const notices = async () => (await ds.query('SELECT count(*)::int AS n FROM notices'))[0].n as number;
  const answer = (r: CallResult) => ({ status: r.status, type: r.headers.get('content-type'), json: r.json, replayed: r.headers.get('idempotent-replayed') });

  beforeAll(async () => {
    svc = await startTestService({
      service: KARPOOSHEH_SERVICE,
      envClass: KarpooshehEnv,
      module: (env) => KarpooshehModule.register(env),
      label: 'karpoosheh_fast_send',
      env: { SYNC_FANOUT_LIMIT: '3', RECIPIENT_DIRECTORY: 'any' },
    });
    ds = svc.app.get(DataSource);
    Object.assign(t, await grantedSender(svc, call, { agencyId: AGENCY, sub: 'client-fast', citizen: ALI }));
    t.ungranted = await svc.issuer.mintToken({ sub: 'client-ungranted', roles: ['agency'], agency_id: UNGRANTED });
    fast = svc.app.get(NoticesFastPath);
    const real = fast.answer.bind(fast);
    jest.spyOn(fast, 'answer').mockImplementation(async (req: FastifyRequest, reply: FastifyReply) => {
      if (forceController) return false;
      try {
        const answered = await real(req, reply);
        attempts.push(answered);
        return answered;
      } catch (error) {
        attempts.push('threw');
        throw error;
      }
    });
  }, 90_000);
  beforeEach(() => {
    attempts = [];
  });
  afterAll(() => svc?.close());

  it('answers a plain send itself: 201, Location, the same JSON shape as the controller’s', async () => {
    const before = await notices();
    const mine = await post(notice({ recipients: [ALI, COMPANY], dueDate: '2027-01-31', bodyFormat: 'text' }));
    expect(attempts).toEqual([true]);
    const theirs = await viaController(() => post(notice({ recipients: [ALI, COMPANY], dueDate: '2027-01-31', bodyFormat: 'text' })));
    expect(attempts).toEqual([true]);
    for (const r of [mine, theirs]) {
      expect(r.status).toBe(201);
      expect(r.headers.get('location')).toBe(`/notices/${String(r.json.noticeId)}`);
      expect(r.headers.get('x-request-id')).toBeTruthy();
      expect(r.headers.get('idempotent-replayed')).toBeNull();
    }
    const shape = (j: Record<string, unknown>) => ({ ...j, noticeId: 'id', createdAt: 'at' });
    expect(shape(mine.json)).toEqual(shape(theirs.json));
    expect(mine.headers.get('content-type')).toBe(theirs.headers.get('content-type'));
    expect(mine.json.recipients).toEqual([
      { recipientId: ALI, state: 'DELIVERED' },
      { recipientId: COMPANY, state: 'DELIVERED' },
    ]);
    expect(await notices()).toBe(before + 2);
  });

  it('replays a key with the same body identically whichever path stored it (same request fingerprint)', async () => {
    const key = randomUUID();
    const first = await post(notice({ subject: 'replay' }), { key });
    const fastReplay = await post(notice({ subject: 'replay' }), { key });
    const controllerReplay = await viaController(() => post({ category: 'tax', body: 'متن', subject: 'replay', recipients: [ALI] }, { key }));
    expect(attempts).toEqual([true, true]);
    expect(answer(fastReplay)).toEqual({ ...answer(first), replayed: 'true' });
    expect(answer(controllerReplay)).toEqual(answer(fastReplay));
    expect(fastReplay.headers.get('location')).toBe(first.headers.get('location'));

    // And the other way round: stored by the controller, replayed by the fast path.
    const key2 = randomUUID();
    const stored = await viaController(() => post(notice({ subject: 'replay-2', attachments: [] }), { key: key2 }));
    const replayed = await post(notice({ subject: 'replay-2', attachments: [] }), { key: key2 });
    expect(answer(replayed)).toEqual({ ...answer(stored), replayed: 'true' });
    expect((await ds.query(`SELECT count(*)::int AS n FROM notices WHERE subject LIKE 'replay%'`))[0].n).toBe(2);
  });

  it('gives the controller’s problem+json for every refusal, writing nothing', async () => {
    const reused = randomUUID();
    await post(notice({ subject: 'reused' }), { key: reused });
    attempts = [];
    const before = await notices();
    const cases: [string, () => Promise<CallResult>, number, string | undefined][] = [
      ['same key, other body', () => post(notice({ subject: 'reused, other' }), { key: reused }), 422, 'KARPOOSHEH.IDEMPOTENCY_KEY_REUSED'],
      ['no Idempotency-Key', () => post(notice(), { key: null }), 400, 'KARPOOSHEH.IDEMPOTENCY_KEY_REQUIRED'],
      ['malformed key', () => post(notice(), { key: 'bad key!' }), 400, 'KARPOOSHEH.IDEMPOTENCY_KEY_INVALID'],
      ['bad check digit', () => post(notice({ recipients: [ALI, '0012345678'] })), 400, 'KARPOOSHEH.RECIPIENT_INVALID'],
      ['unknown field', () => post(notice({ extra: 1 })), 400, 'REQUEST.INVALID'],
      ['subject too long', () => post(notice({ subject: 'x'.repeat(301) })), 400, 'REQUEST.INVALID'],
      ['bad bodyFormat', () => post(notice({ bodyFormat: 'pdf' })), 400, 'REQUEST.INVALID'],
      ['bad attachment sha256', () => post(notice({ attachments: [{ sha256: 'ABC', filename: 'a.pdf' }] })), 400, 'REQUEST.INVALID'],
      ['unknown attachment', () => post(notice({ attachments: [{ sha256: 'a'.repeat(64), filename: 'a.pdf' }] })), 400, 'KARPOOSHEH.ATTACHMENT_UNKNOWN'],
      ['agency not granted', () => post(notice(), { token: t.ungranted }), 403, undefined],
      ['citizen token', () => post(notice(), { token: t.citizen }), 403, undefined],
      ['admin token', () => post(notice(), { token: t.admin }), 403, undefined],
      ['no token', () => post(notice(), { token: null }), 401, undefined],
    ];
    for (const [name, run, status, code] of cases) {
      const mine = await run();
      const theirs = await viaController(run);
      const strip = (r: CallResult) => ({ ...answer(r), json: { ...r.json, requestId: typeof r.json.requestId } });
      expect({ name, ...strip(mine) }).toEqual({ name, ...strip(theirs) });
      expect({ name, status: mine.status }).toEqual({ name, status });
      expect(mine.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      if (code) expect({ name, code: mine.json.code }).toEqual({ name, code });
    }
    const bad = await post(notice({ recipients: [ALI, '0012345678'] }));
    expect(bad.json.errors[0].field).toBe('recipients[1]');
    // The fast path answered none of them (each attempt declined or threw).
    expect(attempts.filter((a) => a === true)).toEqual([]);
    expect(await notices()).toBe(before);
  });

  it('leaves multipart and bulk sends (above SYNC_FANOUT_LIMIT) to the controller', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ subject: 'form', body: 'متن', category: 'tax', recipients: ALI })) form.append(k, v);
    const multi = await call('/notices', { token: t.agency, form, headers: { 'idempotency-key': randomUUID() } });
    expect(multi.status).toBe(201);
    const bulk = await post(notice({ recipients: [ALI, COMPANY, '0084575948', '0499370899'] }));
    expect(bulk.status).toBe(202);
    expect(bulk.headers.get('location')).toBe(`/batches/${String(bulk.json.batchId)}`);
    expect(attempts).toEqual([false]);
  });
});
