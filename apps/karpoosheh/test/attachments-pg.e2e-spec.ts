import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestService, type TestService } from '@darvazeh/testing';
import { PDF_MIN, PNG_1X1 } from './fixtures.js';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { caller, grantedSender } from './support.js';

const ALI = '0012345679';
const AGENCY = '0190a1b2-0000-7000-8000-000000000041';
const MiB = 1024 * 1024;
const MAX_FILE = 26 * MiB;

/** What a refused upload must not leave behind: large objects, content rows, upload records. */
interface Stored {
  largeObjects: number;
  largeObjectPages: number;
  attachments: number;
  uploads: number;
}

describe('attachments in PostgreSQL large objects (ATTACHMENT_STORE=postgres, the default)', () => {
  let svc: TestService<KarpooshehEnv>;
  let ds: DataSource;
  const t: Record<string, string> = {};
  const call = caller(() => svc);
  const stored = async (): Promise<Stored> =>
    (
      await ds.query(`SELECT (SELECT count(*)::int FROM pg_largeobject_metadata) AS "largeObjects",
                             (SELECT count(*)::int FROM pg_largeobject) AS "largeObjectPages",
                             (SELECT count(*)::int FROM attachments) AS attachments,
                             (SELECT count(*)::int FROM attachment_uploads) AS uploads`)
    )[0];
  const upload = (...files: [bytes: Buffer, type: string, name: string][]) => {
    const form = new FormData();
    for (const [bytes, type, name] of files) form.append('file', new Blob([bytes], { type }), name);
    return call('/attachments', { token: t.agency, form });
  };

  beforeAll(async () => {
    svc = await startTestService({
      service: KARPOOSHEH_SERVICE,
      envClass: KarpooshehEnv,
      module: (env) => KarpooshehModule.register(env),
      label: 'karpoosheh_pg_lo_e2e',
      env: { RECIPIENT_DIRECTORY: 'any', MAX_ATTACHMENT_BYTES: String(MAX_FILE), MAX_NOTICE_ATTACHMENT_BYTES: String(60 * MiB) },
    });
    ds = svc.app.get(DataSource);
    ({ agency: t.agency, admin: t.admin, citizen: t.ali } = await grantedSender(svc, call, { agencyId: AGENCY, sub: 'client-pg-lo', citizen: ALI }));
  }, 90_000);

  afterAll(async () => {
    await svc?.close();
  });

  describe('a refused upload stores nothing (no large object, no attachment row, no upload record)', () => {
    it('keeps the store empty-handed for a good file followed by a file over the per-file limit (413)', async () => {
      const before = await stored();
      const huge = Buffer.concat([PDF_MIN, randomBytes(MAX_FILE + MiB)]);
      // The good PNG goes first, so its large object has been created and written before the refusal.
      const res = await upload([PNG_1X1, 'image/png', 'map.png'], [huge, 'application/pdf', 'huge.pdf']);
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json).toMatchObject({ status: 413, code: 'KARPOOSHEH.ATTACHMENT_TOO_LARGE' });
      expect(res.json.detail).toContain('huge.pdf');
      expect(await stored()).toEqual(before);
    }, 60_000);

    it('refuses a disguised file (a script named .pdf) with 415 and stores nothing', async () => {
      const before = await stored();
      const script = Buffer.from('#!/bin/sh\necho pwned\n'.repeat(500));
      const res = await upload([PDF_MIN, 'application/pdf', 'ok.pdf'], [script, 'application/pdf', 'invoice.pdf']);
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json).toMatchObject({ status: 415, code: 'KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED' });
      expect(res.json.detail).toContain('invoice.pdf');
      expect(await stored()).toEqual(before);
    });

    it('refuses a real file of a type not allowed (GIF) and one whose declared type differs (PNG sent as PDF) with 415, storing nothing', async () => {
      const before = await stored();
      const gif = Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'), randomBytes(8 * 1024)]);
      const notAllowed = await upload([PDF_MIN, 'application/pdf', 'ok.pdf'], [gif, 'image/gif', 'anim.gif']);
      expect(notAllowed.status).toBe(415);
      expect(notAllowed.headers.get('content-type')).toContain('application/problem+json');
      expect(notAllowed.json).toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED' });
      expect(notAllowed.json.detail).toContain('image/gif');
      const mismatch = await upload([PDF_MIN, 'application/pdf', 'ok.pdf'], [PNG_1X1, 'application/pdf', 'map.pdf']);
      expect(mismatch.status).toBe(415);
      expect(mismatch.json).toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_TYPE_MISMATCH' });
      expect(mismatch.json.detail).toContain('map.pdf');
      expect(await stored()).toEqual(before);
    });

    it('refuses uploads whose files together pass the per-notice limit (413) and stores nothing', async () => {
      const before = await stored();
      const part = () => Buffer.concat([PDF_MIN, randomBytes(21 * MiB)]);
      const res = await upload([part(), 'application/pdf', 'a.pdf'], [part(), 'application/pdf', 'b.pdf'], [part(), 'application/pdf', 'c.pdf']);
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json).toMatchObject({ code: 'KARPOOSHEH.ATTACHMENTS_TOO_LARGE' });
      expect(await stored()).toEqual(before);
    }, 60_000);
  });

  describe('a large file (25 MiB) within the per-file limit', () => {
    it('is stored as one large object under its SHA-256 and downloads byte-exact', async () => {
      const before = await stored();
      const big = Buffer.concat([PDF_MIN, randomBytes(25 * MiB - PDF_MIN.length)]);
      const sha = createHash('sha256').update(big).digest('hex');
      const up = await upload([big, 'application/pdf', 'big.pdf']);
      expect(up.status).toBe(201);
      expect(up.json.attachments).toEqual([{ filename: 'big.pdf', sha256: sha, mime: 'application/pdf', size: big.length, stored: true }]);
      const after = await stored();
      expect(after).toMatchObject({ largeObjects: before.largeObjects + 1, attachments: before.attachments + 1, uploads: before.uploads + 1 });
      const [row] = await ds.query('SELECT size, content IS NULL AS "noBytea", (SELECT sum(length(data))::int FROM pg_largeobject p WHERE p.loid = a.content_oid) AS "objectBytes" FROM attachments a WHERE sha256 = $1', [sha]);
      expect(row).toEqual({ size: big.length, noBytea: true, objectBytes: big.length });

      // The same bytes again: deduplicated, and its own large object dropped.
      const again = await upload([big, 'application/pdf', 'copy.pdf']);
      expect(again.json.attachments[0]).toMatchObject({ sha256: sha, stored: false });
      expect(await stored()).toEqual(after);

      const sent = await call('/notices', { token: t.agency, body: { recipients: [ALI], subject: 'بزرگ', body: 'متن', category: 'tax', attachments: [{ sha256: sha, filename: 'big.pdf' }] }, headers: { 'idempotency-key': randomUUID() } });
      expect(sent.status).toBe(201);
      const res = await fetch(`${svc.url}/inbox/${sent.json.noticeId}/attachments/${sha}`, { headers: { authorization: `Bearer ${t.ali}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-length')).toBe(String(big.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
    }, 120_000);
  });
});
