import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { startTestService, type TestService, type JsonBody } from '@darvazeh/testing';
import { DeviceRegistryEnv } from '../src/config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE } from '../src/device-registry.module.js';

const ALI = '0012345679';
const SARA = '0084575948';
const IMEI = '490154203237518';
const MAX_BYTES = 65_536;

type UploadBody = string | Uint8Array | FormData | ReadableStream<Uint8Array>;

const SIGHTINGS = ['date,imei,imsi,msisdn,rat', `2020-12-01,${IMEI},432111234567890,09121234567,4G`].join('\n');
const OWNERSHIP = ['msisdn,national_code,valid_from,valid_to', `09121234567,${ALI},2019-01-01,`, `09127777777,${SARA},2018-05-01T10:00:00+03:30,`].join('\n');

/**
 * Operators' bulk files over HTTP with real tokens: subscriber ownership as the second path next to
 * `hamta.subscribers`, and bad uploads (malformed CSV, wrong or unknown operator, too large, wrong
 * content type, corrupt gzip) answered with a 4xx problem+json that names the problem, writing nothing.
 */
describe('operator bulk files over HTTP', () => {
  let svc: TestService<DeviceRegistryEnv>;
  let ds: DataSource;
  const tokens: Record<string, string> = {};

  const post = async (path: string, token: string, body: UploadBody, type?: string, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
    if (type) h['content-type'] = type;
    const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers: h, body };
    if (body instanceof ReadableStream) init.duplex = 'half';
    const res = await fetch(`${svc.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: JSON.parse(text) as JsonBody };
  };
  const get = async (path: string, token: string) => {
    const res = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as JsonBody };
  };
  const ownership = (body: UploadBody, type = 'text/csv', token = tokens.mci, code = 'MCI') => post(`/operators/${code}/subscriber-files`, token, body, type);
  const sightings = (body: UploadBody, type = 'text/csv', token = tokens.mci, code = 'MCI') =>
    post(`/operators/${code}/sighting-files?from=2020-12-01&to=2020-12-10`, token, body, type);
  const count = async (table: string) => Number((await ds.query(`SELECT count(*) n FROM ${table}`))[0].n);
  const nothingWritten = async () => {
    expect(await count('subscriber_ownerships')).toBe(0);
    expect(await count('sightings')).toBe(0);
    expect(await count('operator_files')).toBe(0);
  };
  const expectProblem = (r: { status: number; type: string; json: JsonBody }, status: number, code: string) => {
    expect({ status: r.status, code: r.json.code }).toEqual({ status, code });
    expect(r.type).toContain('application/problem+json');
    expect(r.json.detail).toBeTruthy();
  };

  beforeAll(async () => {
    svc = await startTestService({
      service: SERVICE,
      envClass: DeviceRegistryEnv,
      module: (env) => DeviceRegistryModule.register(env),
      label: 'hamta_files',
      env: { IMPORT_MAX_FILE_BYTES: String(MAX_BYTES) },
    });
    ds = svc.app.get(DataSource);
    const mint = svc.issuer.mintToken.bind(svc.issuer);
    tokens.ali = await mint({ sub: 'citizen-ali', roles: ['citizen'], national_code: ALI });
    tokens.mci = await mint({ sub: 'op-mci', roles: ['operator'], operator_code: 'MCI' });
    tokens.irancell = await mint({ sub: 'op-irancell', roles: ['operator'], operator_code: 'IRANCELL' });
    tokens.acme = await mint({ sub: 'op-acme', roles: ['operator'], operator_code: 'ACME' });
  }, 60_000);
  afterAll(() => svc?.close(), 30_000);

  describe('bad uploads get a 4xx problem+json and write nothing', () => {
    it.each([
      ['sightings', 'a wrong header', 'imei;date\n1;2'],
      ['ownership', 'a wrong header', 'msisdn;owner\n09121234567;0012345679'],
      ['sightings', 'binary garbage', Buffer.from([0, 1, 2, 3, 255, 254, 10, 65])],
      ['ownership', 'a spreadsheet instead of CSV', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000xl/workbook.xml', 'latin1')],
    ])('%s: refuses %s with 400 HAMTA.FILE_HEADER', async (kind, _what, body) => {
      expectProblem(await (kind === 'sightings' ? sightings(body) : ownership(body)), 400, 'HAMTA.FILE_HEADER');
      await nothingWritten();
    });

    it.each(['sightings', 'ownership'])('%s: refuses an empty body with 400 HAMTA.FILE_EMPTY', async (kind) => {
      expectProblem(await (kind === 'sightings' ? sightings('') : ownership('')), 400, 'HAMTA.FILE_EMPTY');
      await nothingWritten();
    });

    it.each(['sightings', 'ownership'])('%s: refuses a corrupt gzip stream with 400 HAMTA.FILE_GZIP_CORRUPT', async (kind) => {
      const body = Buffer.concat([gzipSync(kind === 'sightings' ? SIGHTINGS : OWNERSHIP).subarray(0, 25), Buffer.alloc(40, 9)]);
      expectProblem(await (kind === 'sightings' ? sightings(body, 'application/gzip') : ownership(body, 'application/gzip')), 400, 'HAMTA.FILE_GZIP_CORRUPT');
      await nothingWritten();
    });

    it.each(['sightings', 'ownership'])('%s: refuses JSON and multipart with 415 HAMTA.FILE_CONTENT_TYPE', async (kind) => {
      const send = kind === 'sightings' ? sightings : ownership;
      expectProblem(await send(JSON.stringify({ rows: [] }), 'application/json'), 415, 'HAMTA.FILE_CONTENT_TYPE');
      const form = new FormData();
      form.append('file', new Blob([kind === 'sightings' ? SIGHTINGS : OWNERSHIP]), 'f.csv');
      const r = await post(kind === 'sightings' ? '/operators/MCI/sighting-files?from=2020-12-01&to=2020-12-10' : '/operators/MCI/subscriber-files', tokens.mci, form);
      // Issue 15.6: the upload routes answer every other type with their own documented code.
      expectProblem(r, 415, 'HAMTA.FILE_CONTENT_TYPE');
      expect(r.json.detail).toContain('multipart/form-data');
      await nothingWritten();
    });

    it('keeps the platform\'s 415 for a type no parser takes on the other routes', async () => {
      const r = await post('/devices/registrations', tokens.ali, '<imeis/>', 'application/xml');
      expectProblem(r, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    });

    it.each(['sightings', 'ownership'])("%s: refuses another operator's path with 403 HAMTA.OTHER_OPERATOR", async (kind) => {
      const send = kind === 'sightings' ? sightings : ownership;
      expectProblem(await send(kind === 'sightings' ? SIGHTINGS : OWNERSHIP, 'text/csv', tokens.irancell, 'MCI'), 403, 'HAMTA.OTHER_OPERATOR');
      await nothingWritten();
    });

    it.each(['sightings', 'ownership'])('%s: refuses an operator the registry does not know with 400 naming the code', async (kind) => {
      const send = kind === 'sightings' ? sightings : ownership;
      const r = await send(kind === 'sightings' ? SIGHTINGS : OWNERSHIP, 'text/csv', tokens.acme, 'ACME');
      expectProblem(r, 400, 'HAMTA.FILE_REQUEST_INVALID');
      expect(r.json.errors).toEqual([{ field: 'code', message: 'unknown operator ACME' }]);
      await nothingWritten();
    });

    it.each(['sightings', 'ownership'])('%s: refuses a file whose declared length is over the limit with 413 HAMTA.FILE_TOO_LARGE', async (kind) => {
      const header = kind === 'sightings' ? SIGHTINGS : OWNERSHIP;
      const big = header + '\n' + 'x'.repeat(MAX_BYTES);
      expectProblem(await (kind === 'sightings' ? sightings(big) : ownership(big)), 413, 'HAMTA.FILE_TOO_LARGE');
      await nothingWritten();
    });

    it.each(['sightings', 'ownership'])('%s: stops reading a streamed (chunked, no length) upload once it passes the limit', async (kind) => {
      const line = kind === 'sightings' ? `\n2020-12-02,${IMEI},432111234567890,09121234567,4G` : `\n09121234567,${ALI},2019-01-01,`;
      const chunk = new TextEncoder().encode(line.repeat(200));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode(kind === 'sightings' ? SIGHTINGS : OWNERSHIP)),
        pull: (c) => {
          // Far more than the limit; the server must answer before the client is done.
          if ((sent += chunk.length) > 40 * MAX_BYTES) c.close();
          else c.enqueue(chunk);
        },
      });
      const r = await (kind === 'sightings' ? sightings(stream) : ownership(stream));
      expectProblem(r, 413, 'HAMTA.FILE_TOO_LARGE');
      await nothingWritten();
    });
  });

  describe('subscriber ownership by file', () => {
    it('rejects a file with a bad national code with 422 and its report, merging nothing and logging the verdict', async () => {
      const r = await ownership(OWNERSHIP + '\n09125555555,0012345678,2020-01-01,');
      expectProblem(r, 422, 'HAMTA.FILE_REJECTED');
      expect(r.json.errors).toEqual([expect.objectContaining({ field: 'check:malformed_national_code' })]);
      expect(r.json.report.samples).toEqual([expect.objectContaining({ line: 4, check: 'malformed_national_code' })]);
      expect(await count('subscriber_ownerships')).toBe(0);
      expect(await count('sightings')).toBe(0);
      // The operator can look the verdict up later by the fileId it was answered with.
      const logged = await get(`/operators/MCI/files/${r.json.report.fileId}`, tokens.mci);
      expect(logged.status).toBe(200);
      expect(logged.json).toMatchObject({ fileId: r.json.report.fileId, kind: 'subscribers', outcome: 'rejected', rowsMerged: 0, failedChecks: ['malformed_national_code'] });
      expect(logged.json.report.samples).toEqual(r.json.report.samples);
      await ds.query('DELETE FROM operator_files');
    });

    it('merges a gzipped file (201), answers 200 duplicate for the same content again, and the registration uses it', async () => {
      const r = await ownership(gzipSync(OWNERSHIP), 'application/gzip');
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ outcome: 'merged', rowsTotal: 2, rowsMerged: 2 });
      const again = await ownership(OWNERSHIP);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ outcome: 'duplicate', fileId: r.json.fileId });
      expect(await count('subscriber_ownerships')).toBe(2);

      expect((await sightings(SIGHTINGS)).status).toBe(201);
      const reg = await post('/devices/registrations', tokens.ali, JSON.stringify({ imeis: [IMEI], msisdn: '09121234567' }), 'application/json');
      expect(reg.json).toMatchObject({ decision: 'approved', reasons: [] });
    });

    it('approves a device once when its owner sends the registration several times at once', async () => {
      const imei = '352099001761481';
      // The SIM's owner, whether or not the test above has already sent this file (200 duplicate then).
      expect([200, 201]).toContain((await ownership(OWNERSHIP)).status);
      const file = ['date,imei,imsi,msisdn,rat', `2020-12-03,${imei},432111234567890,09121234567,4G`].join('\n');
      expect((await sightings(file)).status).toBe(201);
      const body = JSON.stringify({ imeis: [imei], msisdn: '09121234567' });
      // Make the requests really overlap: hold the sightings table (read by every decision) until
      // many of them are inside their transactions, waiting on a lock, then let them all go. Without
      // the use case's per-IMEI lock they would all read "not registered" and race to insert.
      const blocker = new pg.Client({ connectionString: svc.db.url });
      // Counts the lock waits from its own connection: inside the blocker's transaction
      // pg_stat_activity is a snapshot taken at its first read, blind to backends opened later.
      const watcher = new pg.Client({ connectionString: svc.db.url });
      await Promise.all([blocker.connect(), watcher.connect()]);
      let answers: Awaited<ReturnType<typeof post>>[];
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE sightings IN ACCESS EXCLUSIVE MODE');
        const inFlight = Promise.all(Array.from({ length: 20 }, () => post('/devices/registrations', tokens.ali, body, 'application/json')));
        const waiting = async () =>
          Number((await watcher.query(`SELECT count(*) n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE NOT l.granted AND d.datname = current_database()`)).rows[0].n);
        // Two requests inside their transactions at once are enough to expose a race.
        const deadline = Date.now() + 30_000;
        let blocked = await waiting();
        while (blocked < 2 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          blocked = await waiting();
        }
        await blocker.query('COMMIT');
        answers = await inFlight;
        expect(blocked).toBeGreaterThanOrEqual(2);
      } finally {
        await Promise.all([blocker.end(), watcher.end()]);
      }
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      const decisions = answers.map((a) => (a.json.decision === 'approved' ? 'approved' : a.json.reasons.map((r: { code: string }) => r.code).join()));
      expect(decisions.filter((d) => d === 'approved')).toHaveLength(1);
      expect(decisions.filter((d) => d !== 'approved')).toEqual(Array(19).fill('HAMTA.ALREADY_REGISTERED'));
      expect(Number((await ds.query(`SELECT count(*) n FROM device_imeis WHERE imei = 35209900176148`))[0].n)).toBe(1);
      expect(Number((await ds.query(`SELECT count(*) n FROM registrations WHERE '${imei}' = ANY(imeis)`))[0].n)).toBe(20);
    }, 60_000);
  });
  describe('file intake log', () => {
    it("lists an operator's own judged files newest first, filters them, pages them, and shows none of another operator's", async () => {
      await ds.query('DELETE FROM operator_files');
      const day = (n: number) => `2020-12-0${n}`;
      const file = (n: number) => ['date,imei,imsi,msisdn,rat', `${day(n)},${IMEI},432111234567890,09121234567,4G`].join('\n');
      const merged = await sightings(file(4));
      const rejected = await sightings(file(4) + '\n2021-02-01,490154203237518,432111234567890,09121234567,4G');
      const irancell = await post(
        '/operators/IRANCELL/sighting-files?from=2020-12-01&to=2020-12-10',
        tokens.irancell,
        ['date,imei,imsi,msisdn,rat', `${day(5)},${IMEI},432351234567890,09351234567,4G`].join('\n'),
        'text/csv',
      );
      const owned = await ownership(['msisdn,national_code,valid_from,valid_to', `09121111111,${SARA},2019-01-01,`].join('\n'));
      expect([merged.status, rejected.status, irancell.status, owned.status]).toEqual([201, 422, 201, 201]);

      const all = await get('/operators/MCI/files', tokens.mci);
      expect(all.status).toBe(200);
      expect(all.json.items.map((f: { fileId: string }) => f.fileId)).toEqual([owned.json.fileId, rejected.json.report.fileId, merged.json.fileId]);
      expect(all.json.items[1]).toMatchObject({ kind: 'sightings', outcome: 'rejected', failedChecks: ['date_range'], rowsMerged: 0 });
      expect(all.json.items[2]).toMatchObject({ kind: 'sightings', outcome: 'merged', failedChecks: [], rowsTotal: 1, rowsMerged: 1 });
      expect(all.json.items[0]).not.toHaveProperty('report');

      const onlyRejected = await get('/operators/MCI/files?outcome=rejected', tokens.mci);
      expect(onlyRejected.json.items.map((f: { fileId: string }) => f.fileId)).toEqual([rejected.json.report.fileId]);
      const onlyOwnership = await get('/operators/MCI/files?kind=subscribers', tokens.mci);
      expect(onlyOwnership.json.items.map((f: { fileId: string }) => f.fileId)).toEqual([owned.json.fileId]);

      const page1 = await get('/operators/MCI/files?limit=2', tokens.mci);
      const page2 = await get(`/operators/MCI/files?limit=2&cursor=${page1.json.nextCursor}`, tokens.mci);
      expect([...page1.json.items, ...page2.json.items].map((f: { fileId: string }) => f.fileId)).toEqual(all.json.items.map((f: { fileId: string }) => f.fileId));
      expect(page2.json.nextCursor).toBeNull();

      // Another operator's log and files: its path is refused, and a file id of another operator is not found.
      expectProblem(await get('/operators/MCI/files', tokens.irancell), 403, 'HAMTA.OTHER_OPERATOR');
      expectProblem(await get(`/operators/IRANCELL/files/${merged.json.fileId}`, tokens.irancell), 404, 'HAMTA.FILE_NOT_FOUND');
      const theirs = await get('/operators/IRANCELL/files', tokens.irancell);
      expect(theirs.json.items.map((f: { fileId: string }) => f.fileId)).toEqual([irancell.json.fileId]);
      // Citizens have no operator log at all.
      expect((await get('/operators/MCI/files', tokens.ali)).status).toBe(403);
    });

    it('answers a bad filter, cursor or file id with 400 problem+json naming it', async () => {
      const badKind = await get('/operators/MCI/files?kind=pictures', tokens.mci);
      expect(badKind.status).toBe(400);
      expect(JSON.stringify(badKind.json.errors)).toContain('kind must be sightings or subscribers');
      expectProblem(await get('/operators/MCI/files?cursor=not-a-cursor', tokens.mci), 400, 'REQUEST.CURSOR_INVALID');
      const badId = await get('/operators/MCI/files/42', tokens.mci);
      expect(badId.status).toBe(400);
      expect(badId.type).toContain('application/problem+json');
    });
  });
});
