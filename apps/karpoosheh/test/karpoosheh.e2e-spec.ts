import { randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { DataSource } from 'typeorm';
import { AGENCY_DISABLED_V1, AGENCY_REGISTERED_V1, CITIZEN_REGISTERED_V1, DEVICE_REGISTERED_V1 } from '@darvazeh/contracts';
import { MessageBus } from '@darvazeh/messaging';
import { readTopicWithKcat, startTestService, testKafkaBrokers, testTopic, type TestService } from '@darvazeh/testing';
import { PDF_MIN, PNG_1X1 } from './fixtures.js';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { caller, eventually } from './support.js';

const ALI = '0012345679';
const SARA = '0084575948';
const UNKNOWN = '0499370899';
const COMPANY = '10380284790';
const AGENCY = '0190a1b2-0000-7000-8000-000000000001';
const OTHER_AGENCY = '0190a1b2-0000-7000-8000-000000000002';

describe('karpoosheh over HTTP and Kafka', () => {
  let svc: TestService<KarpooshehEnv>;
  let ds: DataSource;
  const t: Record<string, string> = {};
  const call = caller(() => svc);
  const publish = (topic: string, type: string, subject: string, data: unknown, id = randomUUID()) =>
    svc.app.get(MessageBus).publish([{ specversion: '1.0', id, type, source: '/darvazeh/test', subject, time: new Date().toISOString(), topic, data }]);
  const send = (body: Record<string, unknown>, key = randomUUID(), token = t.agency) => call('/notices', { token, body, headers: { 'idempotency-key': key } });
  const notice = (extra: Record<string, unknown> = {}) => ({ recipients: [ALI], subject: 'ابلاغیه مالیاتی', body: 'متن ابلاغیه', category: 'tax', ...extra });

  beforeAll(async () => {
    svc = await startTestService({
      service: KARPOOSHEH_SERVICE,
      envClass: KarpooshehEnv,
      module: (env) => KarpooshehModule.register(env),
      label: 'karpoosheh_e2e',
      env: { SYNC_FANOUT_LIMIT: '3', FANOUT_CHUNK_SIZE: '100', WORKER_POLL_MS: '50' },
    });
    ds = svc.app.get(DataSource);
    const mint = svc.issuer.mintToken.bind(svc.issuer);
    t.agency = await mint({ sub: 'client-tax', roles: ['agency'], agency_id: AGENCY });
    t.other = await mint({ sub: 'client-other', roles: ['agency'], agency_id: OTHER_AGENCY });
    t.admin = await mint({ sub: 'admin-1', roles: ['admin'] });
    t.ali = await mint({ sub: 'citizen-ali', roles: ['citizen'], national_code: ALI });
    t.sara = await mint({ sub: 'citizen-sara', roles: ['citizen'], national_code: SARA });
    // identity.principals over the real broker: the directory projection.
    await publish('identity.principals', AGENCY_REGISTERED_V1, AGENCY, { agencyId: AGENCY, name: 'سازمان امور مالیاتی', nationalId: '14002000001', parentMinistry: 'وزارت اقتصاد', type: 'government_organization', clientId: 'client-tax', registeredAt: new Date().toISOString() });
    for (const nc of [ALI, SARA]) await publish('identity.principals', CITIZEN_REGISTERED_V1, nc, { citizenId: randomUUID(), nationalCode: nc, registeredAt: new Date().toISOString() });
    await eventually(() => ds.query('SELECT count(*)::int AS n FROM citizens'), (r) => r[0].n === 2);
  }, 90_000);
  afterAll(() => svc?.close());

  it('documents every operation with a summary (issue 16)', async () => {
    const doc = (await call('/docs/openapi.json')).json as { paths: Record<string, Record<string, { summary?: string }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ op: `${method} ${path}`, summary: op.summary })));
    expect(operations.length).toBeGreaterThanOrEqual(28);
    expect(operations.filter((o) => !o.summary).map((o) => o.op)).toEqual([]);
  });

  describe('sender access', () => {
    it('refuses a send before access is granted, and writes nothing', async () => {
      const r = await send(notice());
      expect(r.status).toBe(403);
      expect(r.json.code).toBe('KARPOOSHEH.SENDER_NOT_GRANTED');
      expect((await ds.query('SELECT count(*)::int AS n FROM notices'))[0].n).toBe(0);
    });

    it('goes request → admin grant, with events on karpoosheh.senders', async () => {
      expect((await call('/senders/me/access-request', { method: 'POST', token: t.agency })).json.status).toBe('REQUESTED');
      expect((await call(`/senders/${AGENCY}/grant`, { method: 'POST', token: t.admin })).json.status).toBe('GRANTED');
      expect((await call(`/senders/${AGENCY}/grant`, { method: 'POST', token: t.agency })).status).toBe(403);
      const events = await readTopicWithKcat(testKafkaBrokers(), testTopic('karpoosheh.senders'), { count: 2 });
      expect(events.map((e) => e.headers.ce_type)).toEqual(['ir.darvazeh.karpoosheh.sender-access.requested.v1', 'ir.darvazeh.karpoosheh.sender-access.granted.v1']);
    });
  });

  describe('sending and reading', () => {
    let noticeId: string;

    it('delivers a direct send at once (201) and publishes ACCEPTED and DELIVERED', async () => {
      const r = await send(notice({ recipients: [ALI, '۰۰۸۴۵۷۵۹۴۸', UNKNOWN] }));
      expect(r.status).toBe(201);
      noticeId = r.json.noticeId;
      expect(r.json.recipients).toEqual([
        { recipientId: ALI, state: 'DELIVERED' },
        { recipientId: SARA, state: 'DELIVERED' },
        { recipientId: UNKNOWN, state: 'FAILED' },
      ]);
      const events = await readTopicWithKcat(testKafkaBrokers(), testTopic('karpoosheh.notices'), { count: 6 });
      const types = events.filter((e) => e.key === noticeId).map((e) => String(e.headers.ce_type).split('.').slice(-2, -1)[0]);
      expect(types.sort()).toEqual(['recipient-accepted', 'recipient-accepted', 'recipient-accepted', 'recipient-delivered', 'recipient-delivered', 'recipient-failed']);
    });

    it('refuses malformed recipients and an unknown body field with 400, writing nothing', async () => {
      const before = (await ds.query('SELECT count(*)::int AS n FROM notices'))[0].n;
      const bad = await send(notice({ recipients: [ALI, '0012345678'] }));
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe('KARPOOSHEH.RECIPIENT_INVALID');
      expect(bad.json.errors[0].field).toBe('recipients[1]');
      expect((await send(notice({ extra: 1 }))).status).toBe(400);
      expect((await call('/notices', { token: t.agency, body: notice() })).json.code).toBe('KARPOOSHEH.IDEMPOTENCY_KEY_REQUIRED');
      expect((await ds.query('SELECT count(*)::int AS n FROM notices'))[0].n).toBe(before);
    });

    it('replays the same key with the same body, and refuses it with another body (422)', async () => {
      const key = randomUUID();
      const first = await send(notice({ subject: 'idem' }), key);
      const again = await send(notice({ subject: 'idem' }), key);
      expect(again.status).toBe(first.status);
      expect(again.json).toEqual(first.json);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await send(notice({ subject: 'other' }), key);
      expect(other.status).toBe(422);
      expect(other.json.code).toBe('KARPOOSHEH.IDEMPOTENCY_KEY_REUSED');
      expect((await ds.query(`SELECT count(*)::int AS n FROM notices WHERE subject = 'idem'`))[0].n).toBe(1);
    });

    it('answers 409 while the same key is in flight', async () => {
      const key = randomUUID();
      const qr = ds.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      await qr.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7))`, [AGENCY, key]);
      try {
        const r = await send(notice(), key);
        expect(r.status).toBe(409);
        expect(r.json.code).toBe('KARPOOSHEH.IDEMPOTENCY_KEY_IN_FLIGHT');
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    });

    it('lists the inbox newest first with unread count; opening records VIEWED once with the reader', async () => {
      const list = await call('/inbox', { token: t.ali });
      expect(list.status).toBe(200);
      expect(list.json.items[0].subject).toBeDefined();
      expect(list.json.items.map((i: { receivedAt: string }) => i.receivedAt)).toEqual([...list.json.items.map((i: { receivedAt: string }) => i.receivedAt)].sort().reverse());
      const unread = (await call('/inbox/unread-count', { token: t.ali })).json.unread;
      const opened = await call(`/inbox/${noticeId}`, { token: t.ali });
      expect(opened.status).toBe(200);
      expect(opened.json).toMatchObject({ subject: 'ابلاغیه مالیاتی', state: 'VIEWED', readBy: ALI, firstOpening: true, sender: { name: 'سازمان امور مالیاتی' } });
      const again = await call(`/inbox/${noticeId}`, { token: t.ali });
      expect(again.json).toMatchObject({ firstOpening: false, readAt: opened.json.readAt });
      expect((await call('/inbox/unread-count', { token: t.ali })).json.unread).toBe(unread - 1);
      const status = await call(`/notices/${noticeId}/recipients/${ALI}`, { token: t.agency });
      expect(status.json).toMatchObject({ state: 'VIEWED', readBy: ALI });
    });

    it('filters by unread, category, sender, date range and subject search, with keyset pages', async () => {
      await send(notice({ subject: 'قبض آب', category: 'water' }));
      await send(notice({ subject: 'قبض برق', category: 'power' }));
      expect((await call('/inbox?category=water', { token: t.ali })).json.items.map((i: { subject: string }) => i.subject)).toEqual(['قبض آب']);
      expect((await call(`/inbox?q=${encodeURIComponent('برق')}`, { token: t.ali })).json.items.map((i: { subject: string }) => i.subject)).toEqual(['قبض برق']);
      expect((await call('/inbox?unread=false', { token: t.ali })).json.items.every((i: { readAt: string | null }) => i.readAt !== null)).toBe(true);
      expect((await call(`/inbox?sender=${OTHER_AGENCY}`, { token: t.ali })).json.items).toEqual([]);
      expect((await call(`/inbox?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token: t.ali })).json.items).toEqual([]);
      const page1 = await call('/inbox?limit=2', { token: t.ali });
      const page2 = await call(`/inbox?limit=2&cursor=${page1.json.nextCursor}`, { token: t.ali });
      expect(page1.json.items).toHaveLength(2);
      const ids = [...page1.json.items, ...page2.json.items].map((i: { noticeId: string }) => i.noticeId);
      expect(new Set(ids).size).toBe(ids.length);
      expect((await call('/inbox?cursor=garbage', { token: t.ali })).status).toBe(400);
    });

    it('acknowledges, stars and archives', async () => {
      expect((await call(`/inbox/${noticeId}/acknowledge`, { method: 'POST', token: t.ali })).status).toBe(204);
      expect((await call(`/inbox/${noticeId}/star`, { method: 'POST', token: t.ali })).status).toBe(204);
      expect((await call('/inbox?starred=true', { token: t.ali })).json.items.map((i: { noticeId: string }) => i.noticeId)).toEqual([noticeId]);
      expect((await call(`/inbox/${noticeId}/archive`, { method: 'POST', token: t.ali })).status).toBe(204);
      expect((await call('/inbox', { token: t.ali })).json.items.map((i: { noticeId: string }) => i.noticeId)).not.toContain(noticeId);
      expect((await call('/inbox?archived=true', { token: t.ali })).json.items.map((i: { noticeId: string }) => i.noticeId)).toContain(noticeId);
    });

    it('never shows one person or agency anything of another’s notices (404 on every read path)', async () => {
      const mine = await send(notice({ recipients: [ALI], subject: 'فقط علی' }));
      const id = mine.json.noticeId;
      const missing = randomUUID();
      for (const path of [`/inbox/${id}`, `/inbox/${id}/receipt`, `/inbox/${id}/attachments/${'0'.repeat(64)}`]) {
        const r = await call(path, { token: t.sara });
        expect({ path, status: r.status, code: r.json.code }).toEqual({ path, status: 404, code: 'KARPOOSHEH.NOTICE_NOT_FOUND' });
        const m = await call(path.replace(id, missing), { token: t.sara });
        // A missing notice and another person's answer alike (only instance and request id differ).
        expect({ ...m.json, instance: 0, requestId: 0 }).toEqual({ ...r.json, instance: 0, requestId: 0 });
      }
      expect((await call(`/inbox/${id}/star`, { method: 'POST', token: t.sara })).status).toBe(404);
      expect((await call('/inbox', { token: t.sara })).json.items.map((i: { noticeId: string }) => i.noticeId)).not.toContain(id);
      for (const path of [`/notices/${id}`, `/notices/${id}/recipients`, `/notices/${id}/recipients/${ALI}`, `/notices/${id}/recipients/${ALI}/receipt`, `/notices/${id}/audit/verify`]) {
        const r = await call(path, { token: t.other });
        expect({ path, status: r.status }).toEqual({ path, status: 404 });
      }
      expect((await call(`/notices/${id}/cancel`, { method: 'POST', token: t.other, body: {} })).status).toBe(404);
      expect((await call('/inbox', { token: t.agency })).status).toBe(403);
      expect((await call(`/inbox?as=${COMPANY}`, { token: t.ali })).status).toBe(403);
    });

    it('cancels a notice no one opened, and refuses to cancel an opened one', async () => {
      const fresh = await send(notice({ recipients: [SARA], subject: 'لغو' }));
      const c = await call(`/notices/${fresh.json.noticeId}/cancel`, { method: 'POST', token: t.agency, body: { reason: 'sent in error' } });
      expect(c.json).toEqual({ noticeId: fresh.json.noticeId, cancelled: 1 });
      expect((await call(`/inbox/${fresh.json.noticeId}`, { token: t.sara })).status).toBe(404);
      const opened = await call(`/notices/${noticeId}/cancel`, { method: 'POST', token: t.agency, body: {} });
      expect(opened.status).toBe(409);
      expect(opened.json.code).toBe('KARPOOSHEH.NOTICE_NOT_CANCELLABLE');
    });

    it('signs a receipt verifiable against the JWKS, and verifies the audit chain (and detects tampering)', async () => {
      const r = await call(`/notices/${noticeId}/recipients/${ALI}/receipt`, { token: t.agency });
      const jwks = (await call('/.well-known/jwks.json')).json;
      const { payload, protectedHeader } = await compactVerify(r.json.receipt, createLocalJWKSet(jwks));
      expect(protectedHeader.alg).toBe('ES256');
      const claims = JSON.parse(new TextDecoder().decode(payload));
      expect(claims).toMatchObject({ noticeId, recipientId: ALI, state: 'VIEWED', viewedBy: ALI });
      expect(claims.audit.entries.map((e: { action: string }) => e.action)).toEqual(['ACCEPTED', 'DELIVERED', 'VIEWED']);
      expect((await call(`/inbox/${noticeId}/receipt`, { token: t.ali })).status).toBe(200);
      const ok = await call(`/notices/${noticeId}/audit/verify`, { token: t.agency });
      expect(ok.json).toMatchObject({ valid: true, entries: 7 });
      await expect(ds.query(`UPDATE audit_log SET actor = 'x' WHERE notice_id = $1`, [noticeId])).rejects.toThrow(/append-only/);
      await ds.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await ds.query(`UPDATE audit_log SET actor = 'forged' WHERE notice_id = $1 AND seq = 2`, [noticeId]);
      await ds.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
      expect((await call(`/notices/${noticeId}/audit/verify`, { token: t.agency })).json).toMatchObject({ valid: false, brokenAt: 2 });
    });
  });

  describe('bulk', () => {
    it('accepts a batch (202), fans it out asynchronously and reports progress', async () => {
      const recipients = [ALI, SARA, COMPANY, UNKNOWN, ...Array.from({ length: 250 }, (_, i) => validCode(100000 + i))];
      const r = await send(notice({ recipients, subject: 'انبوه' }));
      expect(r.status).toBe(202);
      expect(r.json).toMatchObject({ recipientCount: recipients.length, status: 'PENDING' });
      const done = await eventually(() => call(`/batches/${r.json.batchId}`, { token: t.agency }), (b) => b.json.status === 'COMPLETED');
      expect(done.json).toMatchObject({ total: recipients.length, processed: recipients.length, delivered: 3, failed: recipients.length - 3, progress: 1 });
      expect((await call(`/inbox?q=${encodeURIComponent('انبوه')}`, { token: t.sara })).json.items).toHaveLength(1);
      const completed = await eventually(
        async () => (await readTopicWithKcat(testKafkaBrokers(), testTopic('karpoosheh.notices'))).filter((m) => m.key === r.json.noticeId && m.headers.ce_type === 'ir.darvazeh.karpoosheh.batch.completed.v1'),
        (found) => found.length > 0,
      );
      expect(completed[0].payload).toMatchObject({ batchId: r.json.batchId, delivered: 3, failed: recipients.length - 3 });
    });

    it('takes recipients as a CSV file in a multipart send', async () => {
      const form = new FormData();
      form.set('subject', 'از فایل');
      form.set('body', 'b');
      form.set('category', 'tax');
      form.set('recipientsFile', new Blob([`national_code\n${ALI}\n${SARA}\n`], { type: 'text/csv' }), 'r.csv');
      const r = await call('/notices', { token: t.agency, form, headers: { 'idempotency-key': randomUUID() } });
      expect(r.status).toBe(201);
      expect(r.json.recipients.map((x: { recipientId: string }) => x.recipientId)).toEqual([ALI, SARA]);
    });
  });

  describe('attachments', () => {
    it('stores files once by SHA-256, checks the real type, and records downloads', async () => {
      const form = new FormData();
      form.append('file', new Blob([PDF_MIN], { type: 'application/pdf' }), 'ابلاغ.pdf');
      form.append('file', new Blob([PNG_1X1], { type: 'image/png' }), 'map.png');
      const up = await call('/attachments', { token: t.agency, form });
      expect(up.status).toBe(201);
      const [pdf] = up.json.attachments;
      expect(pdf).toMatchObject({ mime: 'application/pdf', size: PDF_MIN.length, stored: true });
      const again = new FormData();
      again.append('file', new Blob([PDF_MIN]), 'copy.pdf');
      expect((await call('/attachments', { token: t.agency, form: again })).json.attachments[0]).toMatchObject({ sha256: pdf.sha256, stored: false });
      const disguised = new FormData();
      disguised.append('file', new Blob(['#!/bin/sh\necho pwned\n'], { type: 'application/pdf' }), 'invoice.pdf');
      const bad = await call('/attachments', { token: t.agency, form: disguised });
      expect(bad.status).toBe(415);
      expect(bad.json.code).toBe('KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED');
      const sent = await send(notice({ attachments: [{ sha256: pdf.sha256, filename: 'ابلاغ.pdf' }] }));
      expect(sent.status).toBe(201);
      expect((await send(notice({ attachments: [{ sha256: 'f'.repeat(64), filename: 'x.pdf' }] }))).json.code).toBe('KARPOOSHEH.ATTACHMENT_UNKNOWN');
      const res = await fetch(`${svc.url}/inbox/${sent.json.noticeId}/attachments/${pdf.sha256}`, { headers: { authorization: `Bearer ${t.ali}` } });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF_MIN)).toBe(true);
      expect(await ds.query('SELECT recipient_id, reader FROM attachment_downloads')).toEqual([{ recipient_id: ALI, reader: ALI }]);
      expect((await ds.query('SELECT count(*)::int AS n FROM attachments'))[0].n).toBe(2);
    });
  });

  describe('companies and Hamta', () => {
    it('lets a representative read a company inbox, recording their own national code', async () => {
      const m = await call('/mandates', { token: t.admin, body: { companyId: COMPANY, representativeNationalCode: SARA } });
      expect(m.status).toBe(201);
      const sent = await send(notice({ recipients: [COMPANY], subject: 'شرکت' }));
      expect((await call(`/inbox/${sent.json.noticeId}`, { token: t.ali })).status).toBe(404);
      const opened = await call(`/inbox/${sent.json.noticeId}?as=${COMPANY}`, { token: t.sara });
      expect(opened.json).toMatchObject({ readBy: SARA, state: 'VIEWED' });
      expect((await call(`/inbox?as=${COMPANY}`, { token: t.ali })).status).toBe(403);
    });

    it('stops an agency identity disabled at the SSO from sending (agency.disabled on identity.principals)', async () => {
      await publish('identity.principals', AGENCY_DISABLED_V1, AGENCY, { agencyId: AGENCY, clientId: 'client-tax', disabledAt: new Date().toISOString() });
      await eventually(() => ds.query('SELECT disabled FROM agencies WHERE agency_id = $1', [AGENCY]), (r) => r[0]?.disabled === true);
      // Karpoosheh's own projection marks the sender disabled, and the platform's revocation list
      // refuses the agency's token before any use case runs.
      const r = await eventually(() => send(notice()), (x) => x.status === 403 && x.json.code === 'AUTH.PRINCIPAL_DISABLED');
      expect(r.status).toBe(403);
    });

    it('places a system notice in the owner’s inbox for a Hamta device event (over Kafka)', async () => {
      await publish('hamta.devices', DEVICE_REGISTERED_V1, randomUUID(), {
        deviceId: randomUUID(),
        registrationId: randomUUID(),
        ownerNationalCode: SARA,
        imeis: ['490154203237518'],
        msisdn: '989121234567',
        registeredAt: new Date().toISOString(),
      });
      const list = await eventually(() => call('/inbox?category=hamta', { token: t.sara }), (r) => r.json.items.length > 0);
      expect(list.json.items[0]).toMatchObject({ subject: 'ثبت گوشی در سامانه همتا', systemNotice: true });
    });
  });
});

/** A valid national code from a 9-digit body (check digit computed). */
function validCode(n: number): string {
  const body = String(n).padStart(9, '0');
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11;
  return body + String(sum < 2 ? sum : 11 - sum);
}
