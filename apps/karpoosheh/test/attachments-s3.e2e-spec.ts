import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DataSource } from 'typeorm';
import { startTestService, type TestService } from '@darvazeh/testing';
import { PDF_MIN, PNG_1X1 } from './fixtures.js';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { caller, grantedSender } from './support.js';

const ALI = '0012345679';
const AGENCY = '0190a1b2-0000-7000-8000-000000000031';
const BUCKET = 'karpoosheh-attachments';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** s3rver (a real S3-compatible HTTP server, files on disk) in its own process, on a free loopback port. */
async function startS3rver(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(process.cwd(), 'node_modules/s3rver/bin/s3rver.js'), '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent'], { stdio: 'ignore' });
  const until = Date.now() + 15_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      if (Date.now() > until) throw new Error('s3rver did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('attachments in an S3-compatible store (ATTACHMENT_STORE=s3, s3rver)', () => {
  let s3rver: ChildProcess;
  let dir: string;
  let s3: S3Client;
  let svc: TestService<KarpooshehEnv>;
  let ds: DataSource;
  const t: Record<string, string> = {};
  const call = caller(() => svc);
  const objects = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'karpoosheh-s3-'));
    const port = await freePort();
    s3rver = await startS3rver(dir, port);
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    svc = await startTestService({
      service: KARPOOSHEH_SERVICE,
      envClass: KarpooshehEnv,
      module: (env) => KarpooshehModule.register(env),
      label: 'karpoosheh_s3_e2e',
      env: {
        RECIPIENT_DIRECTORY: 'any',
        ATTACHMENT_STORE: 's3',
        ATTACHMENT_S3_ENDPOINT: endpoint,
        ATTACHMENT_S3_BUCKET: BUCKET,
        ATTACHMENT_S3_FORCE_PATH_STYLE: 'true',
        ATTACHMENT_S3_PREFIX: 'kp/',
        ATTACHMENT_S3_ACCESS_KEY_ID: 'S3RVER',
        ATTACHMENT_S3_SECRET_ACCESS_KEY: 'S3RVER',
        MAX_ATTACHMENT_BYTES: String(26 * 1024 * 1024),
        MAX_NOTICE_ATTACHMENT_BYTES: String(60 * 1024 * 1024),
      },
    });
    ds = svc.app.get(DataSource);
    ({ agency: t.agency, admin: t.admin, citizen: t.ali } = await grantedSender(svc, call, { agencyId: AGENCY, sub: 'client-s3', citizen: ALI }));
  }, 90_000);

  afterAll(async () => {
    await svc?.close();
    s3?.destroy();
    s3rver?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores each content once in the bucket under its SHA-256, with no bytes in PostgreSQL', async () => {
    const form = new FormData();
    form.append('file', new Blob([PDF_MIN], { type: 'application/pdf' }), 'ابلاغ.pdf');
    form.append('file', new Blob([PNG_1X1], { type: 'image/png' }), 'map.png');
    const up = await call('/attachments', { token: t.agency, form });
    expect(up.status).toBe(201);
    const pdfSha = createHash('sha256').update(PDF_MIN).digest('hex');
    const pngSha = createHash('sha256').update(PNG_1X1).digest('hex');
    expect(up.json.attachments).toEqual([
      { filename: 'ابلاغ.pdf', sha256: pdfSha, mime: 'application/pdf', size: PDF_MIN.length, stored: true },
      { filename: 'map.png', sha256: pngSha, mime: 'image/png', size: PNG_1X1.length, stored: true },
    ]);
    const again = new FormData();
    again.append('file', new Blob([PDF_MIN]), 'copy.pdf');
    expect((await call('/attachments', { token: t.agency, form: again })).json.attachments[0]).toMatchObject({ sha256: pdfSha, stored: false });
    expect(await objects()).toEqual([`kp/sha256/${pdfSha}`, `kp/sha256/${pngSha}`].sort());
    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `kp/sha256/${pdfSha}` }));
    expect(obj.ContentType).toBe('application/pdf');
    expect(Buffer.from(await obj.Body!.transformToByteArray()).equals(PDF_MIN)).toBe(true);
    expect(await ds.query('SELECT sha256, mime, size, content FROM attachments ORDER BY size')).toEqual([
      { sha256: pngSha, mime: 'image/png', size: PNG_1X1.length, content: null },
      { sha256: pdfSha, mime: 'application/pdf', size: PDF_MIN.length, content: null },
    ]);
  });

  it('refuses a disguised file with 415 and puts nothing in the bucket', async () => {
    const before = await objects();
    const disguised = new FormData();
    disguised.append('file', new Blob(['#!/bin/sh\necho pwned\n'], { type: 'application/pdf' }), 'invoice.pdf');
    const bad = await call('/attachments', { token: t.agency, form: disguised });
    expect(bad.status).toBe(415);
    expect(bad.json.code).toBe('KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(await objects()).toEqual(before);
  });

  it('serves a download from the bucket only to a recipient, and records it', async () => {
    const pdfSha = createHash('sha256').update(PDF_MIN).digest('hex');
    const sent = await call('/notices', { token: t.agency, body: { recipients: [ALI], subject: 'ابلاغیه', body: 'متن', category: 'tax', attachments: [{ sha256: pdfSha, filename: 'ابلاغ.pdf' }] }, headers: { 'idempotency-key': randomUUID() } });
    expect(sent.status).toBe(201);
    const url = `${svc.url}/inbox/${sent.json.noticeId}/attachments/${pdfSha}`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${t.agency}` } })).status).toBe(403);
    const res = await fetch(url, { headers: { authorization: `Bearer ${t.ali}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF_MIN)).toBe(true);
    expect(await ds.query('SELECT recipient_id, sha256 FROM attachment_downloads')).toEqual([{ recipient_id: ALI, sha256: pdfSha }]);
  });

  it('streams a 25 MB upload (multipart to incoming/, then sha256/<hex>) with flat memory, and streams it back byte-exact', async () => {
    const big = Buffer.concat([PDF_MIN, randomBytes(25 * 1024 * 1024 - PDF_MIN.length)]);
    const sha = createHash('sha256').update(big).digest('hex');
    const form = new FormData();
    form.append('file', new Blob([big], { type: 'application/pdf' }), 'big.pdf');
    const mem = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    const base = mem();
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, mem())), 5);
    const up = await call('/attachments', { token: t.agency, form });
    clearInterval(sampler);
    expect(up.status).toBe(201);
    expect(up.json.attachments[0]).toMatchObject({ sha256: sha, size: big.length, mime: 'application/pdf', stored: true });
    // Printed, not asserted: the client (fetch encoding the FormData) runs in this same process and its
    // copies dominate the figure (~112 MiB seen), so it does not isolate the server. A flat-memory bound
    // needs the client in another process (not done yet; see README "Attachment storage").
    process.stdout.write(`[stream] 25 MiB upload to S3: peak heap+arrayBuffers delta (client + server) ${((peak - base) / 1048576).toFixed(1)} MiB\n`);
    expect((await objects()).filter((k) => k!.includes('incoming/'))).toEqual([]);
    expect(await objects()).toContain(`kp/sha256/${sha}`);
    const sent = await call('/notices', { token: t.agency, body: { recipients: [ALI], subject: 'بزرگ', body: 'متن', category: 'tax', attachments: [{ sha256: sha, filename: 'big.pdf' }] }, headers: { 'idempotency-key': randomUUID() } });
    expect(sent.status).toBe(201);
    const res = await fetch(`${svc.url}/inbox/${sent.json.noticeId}/attachments/${sha}`, { headers: { authorization: `Bearer ${t.ali}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(big.length));
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(sha);
  }, 120_000);

  it('refuses an oversized file mid-stream with 413 problem+json and leaves no row and no object', async () => {
    const before = await objects();
    const rows = (await ds.query('SELECT count(*)::int AS n FROM attachments'))[0].n;
    const form = new FormData();
    form.append('file', new Blob([Buffer.concat([PDF_MIN, randomBytes(27 * 1024 * 1024)])], { type: 'application/pdf' }), 'huge.pdf');
    const res = await call('/attachments', { token: t.agency, form });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.code).toBe('KARPOOSHEH.ATTACHMENT_TOO_LARGE');
    expect(await objects()).toEqual(before);
    expect((await ds.query('SELECT count(*)::int AS n FROM attachments'))[0].n).toBe(rows);
  }, 120_000);
});
