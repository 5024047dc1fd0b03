import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestService, type TestService } from '@darvazeh/testing';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { InboxQueries } from '../src/inbox/application/inbox-queries.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { caller, grantedSender } from './support.js';

const ALI = '0012345679';
const COMPANY = '10380284790';
const AGENCY = '0190a1b2-0000-7000-8000-000000000061';

/**
 * The inbox page the fast path serves as JSON text built by PostgreSQL (InboxQueries.listJson →
 * InboxRepository.listPageJson) must be, byte for byte, JSON.stringify of InboxQueries.list —
 * the page the controller answers — on every page of a varied inbox.
 */
describe('GET /inbox page as JSON text from PostgreSQL', () => {
  let svc: TestService<KarpooshehEnv>;
  let ds: DataSource;
  let queries: InboxQueries;
  const t: Record<string, string> = {};
  const call = caller(() => svc);
  const ids: string[] = [];

  beforeAll(async () => {
    svc = await startTestService({
      service: KARPOOSHEH_SERVICE,
      envClass: KarpooshehEnv,
      module: (env) => KarpooshehModule.register(env),
      label: 'karpoosheh_inbox_json',
      env: { RECIPIENT_DIRECTORY: 'any' },
    });
    ds = svc.app.get(DataSource);
    queries = svc.app.get(InboxQueries);
    Object.assign(t, await grantedSender(svc, call, { agencyId: AGENCY, sub: 'client-json', citizen: ALI }));
    await ds.query(`INSERT INTO agencies (agency_id, name, client_id, updated_at) VALUES ($1, $2, 'client-json', now())`, [AGENCY, 'سازمان "امور" مالیاتی \\ / 😀']);
    const subjects = ['ابلاغیه ۱', 'quote " backslash \\ tab \t newline \n', 'control \u0001 \u001f del \u007f', 'emoji 😀 and \u2028 separator', 'plain', 'ششم', 'هفتم'];
    for (const [i, subject] of subjects.entries()) {
      const r = await call('/notices', {
        token: t.agency,
        headers: { 'idempotency-key': randomUUID() },
        body: { recipients: i === 4 ? [ALI, COMPANY] : [ALI], subject, body: 'متن', category: i % 2 ? 'tax' : 'court', ...(i % 3 === 0 ? { dueDate: '2027-01-31' } : {}) },
      });
      expect(r.status).toBe(201);
      ids.push(String(r.json.noticeId));
    }
    const company = await call('/notices', { token: t.agency, headers: { 'idempotency-key': randomUUID() }, body: { recipients: [COMPANY], subject: 'company only', body: 'x', category: 'tax' } });
    expect(company.status).toBe(201);
    // Read, starred, acknowledged and archived entries.
    expect((await call(`/inbox/${ids[1]}`, { token: t.citizen })).status).toBe(200);
    expect((await call(`/inbox/${ids[2]}/star`, { method: 'POST', token: t.citizen })).status).toBeLessThan(300);
    expect((await call(`/inbox/${ids[1]}/acknowledge`, { method: 'POST', token: t.citizen })).status).toBeLessThan(300);
    expect((await call(`/inbox/${ids[5]}/archive`, { method: 'POST', token: t.citizen })).status).toBeLessThan(300);
  }, 90_000);
  afterAll(() => svc?.close());

  it('equals JSON.stringify(InboxQueries.list) on every page, for several page sizes', async () => {
    const owner = { recipientId: ALI, reader: ALI };
    for (const limit of [1, 2, 3, 6, 20]) {
      let cursor: string | undefined;
      let pages = 0;
      const seen: string[] = [];
      do {
        const expected = await queries.list(owner, { limit, cursor });
        const text = await queries.listJson(owner, limit, cursor);
        expect(text).toBe(JSON.stringify(expected));
        seen.push(...expected.items.map((i) => i.noticeId));
        cursor = expected.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      // Six visible (one archived), the company's own notice never.
      expect(seen).toEqual([ids[6], ids[4], ids[3], ids[2], ids[1], ids[0]]);
      expect(pages).toBe(Math.ceil(6 / limit));
    }
    const all = await queries.list(owner, { limit: 20 });
    expect(all.items.some((i) => i.readAt !== null && i.state === 'VIEWED')).toBe(true);
    expect(all.items.some((i) => i.starred)).toBe(true);
    expect(all.items.some((i) => i.acknowledgedAt !== null)).toBe(true);
    expect(all.items.some((i) => i.dueDate === '2027-01-31')).toBe(true);
    expect(all.items[0].sender.name).toBe('سازمان "امور" مالیاتی \\ / 😀');
  });

  it('is what GET /inbox answers (the fast path), page after page', async () => {
    const owner = { recipientId: ALI, reader: ALI };
    let cursor: string | undefined;
    do {
      const r = await call(`/inbox?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: t.citizen });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const expected = await queries.list(owner, { limit: 2, cursor });
      expect(r.text).toBe(JSON.stringify(expected));
      cursor = expected.nextCursor ?? undefined;
    } while (cursor);
    // A tampered cursor still gets the controller's 400.
    const bad = await call('/inbox?cursor=bm90LWpzb24', { token: t.citizen });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('REQUEST.CURSOR_INVALID');
  });
});
