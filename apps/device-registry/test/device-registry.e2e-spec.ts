import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { MessageBus } from '@darvazeh/messaging';
import { produceWithKcat, readTopicWithKcat, startTestService, testKafkaBrokers, testTopic, type TestService, type JsonBody } from '@darvazeh/testing';
import { DeviceRegistryEnv } from '../src/config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE } from '../src/device-registry.module.js';

type RequestBody = string | Uint8Array;

const ALI = '0012345679';
const SARA = '0084575948';
const IMEI = '490154203237518';
const IMEI2 = '352099001761481'; // second slot of the same dual-SIM device
const MSISDN = '09121234567';

const FILE = [
  'date,imei,imsi,msisdn,rat',
  `2020-12-01,${IMEI},432111234567890,${MSISDN},4G`,
  `2020-12-03,${IMEI2},432111234567891,09120000000,4G`,
  '2020-12-05,356938035643809,432111234567892,09125555555,3G',
].join('\n');

describe('device-registry over HTTP and Kafka', () => {
  let svc: TestService<DeviceRegistryEnv>;
  let ds: DataSource;
  const tokens: Record<string, string> = {};

  const call = async (path: string, init: { method?: string; token?: string; body?: unknown; raw?: RequestBody; type?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: RequestBody | undefined = init.raw;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    } else if (init.type) headers['content-type'] = init.type;
    const res = await fetch(`${svc.url}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
    const text = await res.text();
    let json: JsonBody;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, type: res.headers.get('content-type') ?? '' };
  };
  const publish = (topic: string, type: string, subject: string, data: unknown) =>
    svc.app.get(MessageBus).publish([
      { specversion: '1.0', id: randomUUID(), type, source: '/operators/MCI', subject, time: new Date().toISOString(), topic, data },
    ]);
  const eventually = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (ok(v) || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const eir = (imei: string) => call(`/eir/check?imei=${imei}`, { token: tokens.mci }).then((r) => r.json);

  beforeAll(async () => {
    svc = await startTestService({ service: SERVICE, envClass: DeviceRegistryEnv, module: (env) => DeviceRegistryModule.register(env), label: 'hamta_e2e' });
    ds = svc.app.get(DataSource);
    const mint = svc.issuer.mintToken.bind(svc.issuer);
    tokens.ali = await mint({ sub: 'citizen-ali', roles: ['citizen'], national_code: ALI });
    tokens.sara = await mint({ sub: 'citizen-sara', roles: ['citizen'], national_code: SARA });
    tokens.mci = await mint({ sub: 'op-mci', roles: ['operator'], operator_code: 'MCI' });
    tokens.irancell = await mint({ sub: 'op-irancell', roles: ['operator'], operator_code: 'IRANCELL' });
    tokens.admin = await mint({ sub: 'admin-1', roles: ['admin'] });
  }, 60_000);
  afterAll(() => svc?.close());

  describe('sightings file upload', () => {
    const upload = (body: RequestBody, token = tokens.mci, code = 'MCI', type = 'text/csv', q = 'from=2020-12-01&to=2020-12-10') =>
      call(`/operators/${code}/sighting-files?${q}`, { token, raw: body, type });

    it("refuses an operator writing another operator's data", async () => {
      const r = await upload(FILE, tokens.irancell);
      expect(r.status).toBe(403);
      expect(r.json.code).toBe('HAMTA.OTHER_OPERATOR');
    });

    it('refuses a citizen', async () => {
      expect((await upload(FILE, tokens.ali)).status).toBe(403);
    });

    it('refuses a wrong content type with a clear 415', async () => {
      const r = await call('/operators/MCI/sighting-files?from=2020-12-01&to=2020-12-10', { token: tokens.mci, body: { rows: [] } });
      expect(r.status).toBe(415);
      expect(r.type).toContain('application/problem+json');
      expect(r.json.code).toBe('HAMTA.FILE_CONTENT_TYPE');
    });

    it('refuses a missing declared range naming the fields', async () => {
      const r = await upload(FILE, tokens.mci, 'MCI', 'text/csv', '');
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json.errors)).toMatch(/from/);
    });

    it('rejects a file with an out-of-range date with 422 and its report, merging nothing', async () => {
      const r = await upload(FILE + `\n2021-01-05,${IMEI},432111234567890,${MSISDN},4G`);
      expect(r.status).toBe(422);
      expect(r.json.code).toBe('HAMTA.FILE_REJECTED');
      expect(r.json.report.samples[0]).toMatchObject({ check: 'date_range', line: 5 });
      expect(Number((await ds.query('SELECT count(*) n FROM sightings'))[0].n)).toBe(0);
    });

    it('merges a gzipped file (201) and answers 200 duplicate for the same content again', async () => {
      const r = await upload(gzipSync(FILE), tokens.mci, 'MCI', 'application/gzip');
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ outcome: 'merged', rowsMerged: 3 });
      const again = await upload(FILE);
      expect(again.status).toBe(200);
      expect(again.json.outcome).toBe('duplicate');
    });

    it('answers white PRE_SCHEME for a device in the file and grey MALFORMED_IMEI for garbage', async () => {
      expect(await eir(IMEI)).toEqual({ imei: IMEI, colour: 'white', reason: 'PRE_SCHEME' });
      expect((await eir('12345')).colour).toBe('grey');
    });
  });

  describe('registration', () => {
    beforeAll(async () => {
      await publish('hamta.subscribers', 'ir.darvazeh.hamta.subscriber.ownership-changed.v1', '989121234567', {
        operatorCode: 'MCI',
        msisdn: MSISDN,
        nationalCode: ALI,
        validFrom: '2019-01-01T00:00:00Z',
      });
      await eventually(() => ds.query('SELECT * FROM subscriber_ownerships'), (r) => r.length === 1);
    }, 30_000);

    it('rejects with MSISDN_NOT_OWNED when the SIM is someone else’s, and records the rejection', async () => {
      const r = await call('/devices/registrations', { token: tokens.sara, body: { imeis: [IMEI], msisdn: MSISDN } });
      expect(r.status).toBe(201);
      expect(r.json.decision).toBe('rejected');
      expect(r.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.MSISDN_NOT_OWNED']);
      expect(r.json.reasons[0].hint).toBeTruthy();
    });

    it('rejects a wrong check digit with HAMTA.IMEI_CHECK_DIGIT', async () => {
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: ['490154203237517'], msisdn: MSISDN } });
      expect(r.json.reasons[0].code).toBe('HAMTA.IMEI_CHECK_DIGIT');
    });

    it('refuses a malformed body with 400 naming the field, writing nothing', async () => {
      const before = Number((await ds.query('SELECT count(*) n FROM registrations'))[0].n);
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: 'x', msisdn: MSISDN, extra: 1 } });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json.errors)).toMatch(/imeis/);
      expect(Number((await ds.query('SELECT count(*) n FROM registrations'))[0].n)).toBe(before);
    });

    it('refuses an operator token', async () => {
      expect((await call('/devices/registrations', { token: tokens.mci, body: { imeis: [IMEI], msisdn: MSISDN } })).status).toBe(403);
    });

    it('approves the dual-SIM device for its owner; a retry with the same Idempotency-Key returns the same decision', async () => {
      const key = randomUUID();
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: [IMEI, IMEI2], msisdn: MSISDN }, headers: { 'idempotency-key': key } });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ decision: 'approved', imeis: [IMEI, IMEI2], reasons: [] });
      const again = await call('/devices/registrations', { token: tokens.ali, body: { imeis: [IMEI, IMEI2], msisdn: MSISDN }, headers: { 'idempotency-key': key } });
      expect(again.status).toBe(200);
      expect(again.json.registrationId).toBe(r.json.registrationId);
      expect(Number((await ds.query(`SELECT count(*) n FROM devices`))[0].n)).toBe(1);
      expect(await eir(IMEI2)).toMatchObject({ colour: 'white', reason: 'REGISTERED' });
    });

    it('rejects the same device for the second time with ALREADY_REGISTERED', async () => {
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: [IMEI], msisdn: MSISDN } });
      expect(r.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.ALREADY_REGISTERED']);
    });

    it('rejects NOT_SEEN_BEFORE_CUTOFF for a device no operator saw', async () => {
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: ['35209900176149'], msisdn: MSISDN } });
      expect(r.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.NOT_SEEN_BEFORE_CUTOFF']);
    });

    it('rejects a recycled number: seen with it before the cut-off while it was someone else’s (issue 15.4)', async () => {
      const imei = '356938035643817';
      await ds.query(
        `INSERT INTO sightings (imei, msisdn, imsi, operator_code, first_seen, last_seen, recent_days, last_rat)
         VALUES (35693803564381, 989123333333, 432111234500001, 'MCI', '2020-10-01', '2020-12-10', 1, '4G')`,
      );
      await ds.query(
        `INSERT INTO subscriber_ownerships (msisdn, valid_from, national_code, operator_code)
         VALUES ('989123333333', '2019-01-01', '${SARA}', 'MCI'), ('989123333333', '2023-01-01', '${ALI}', 'MCI')`,
      );
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: [imei], msisdn: '09123333333' } });
      expect(r.json.decision).toBe('rejected');
      expect(r.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.MSISDN_NOT_OWNED_WHEN_SEEN']);
      expect(r.json.reasons[0].message).toBe('the device was used with 09123333333 before the cut-off date (2020-12-22) only while the number belonged to someone else');
    });

    it('lists every failing rule even when an IMEI is invalid; all-zero and signed IMEIs are invalid (issue 15.5/15.6)', async () => {
      const r = await call('/devices/registrations', { token: tokens.sara, body: { imeis: ['000000000000000', '356938035643809'], msisdn: MSISDN } });
      expect(r.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.IMEI_INVALID', 'HAMTA.MSISDN_NOT_OWNED', 'HAMTA.SIM_MISMATCH']);
      const signed = await call('/devices/registrations', { token: tokens.ali, body: { imeis: ['-490154203237518'], msisdn: MSISDN } });
      expect(signed.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.IMEI_INVALID']);
      expect(await eir('000000000000000')).toMatchObject({ colour: 'grey', reason: 'MALFORMED_IMEI' });
    });

    it.each([
      ['a NUL byte in an IMEI', { imeis: ['49015420\u00003237518'], msisdn: MSISDN }, 'imeis'],
      ['a lone surrogate in the MSISDN', { imeis: [IMEI], msisdn: '0912\ud800' }, 'msisdn'],
    ])('refuses %s with 400 naming the field, not 500', async (_what, body, field) => {
      const r = await call('/devices/registrations', { token: tokens.ali, raw: JSON.stringify(body), type: 'application/json' });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json.errors)).toContain(field);
    });

    it('rejects SIM_MISMATCH for a device seen only with another SIM', async () => {
      const r = await call('/devices/registrations', { token: tokens.ali, body: { imeis: ['356938035643809'], msisdn: MSISDN } });
      expect(r.json.reasons.map((x: { code: string }) => x.code)).toEqual(['HAMTA.SIM_MISMATCH']);
    });
  });

  describe('device lifecycle and the EIR', () => {
    let deviceId: string;
    beforeAll(async () => {
      const list = await call('/devices', { token: tokens.ali });
      deviceId = list.json.items[0].deviceId;
    });

    it('lists only the caller’s devices, paginated', async () => {
      const r = await call('/devices?limit=1', { token: tokens.ali });
      expect(r.json.items).toHaveLength(1);
      expect(r.json.nextCursor).toBeNull();
      expect((await call('/devices', { token: tokens.sara })).json.items).toHaveLength(0);
      expect((await call(`/devices/${deviceId}`, { token: tokens.sara })).status).toBe(404);
    });

    it('stolen → black on the EIR and in the black list file; recovered → white again', async () => {
      expect((await call(`/devices/${deviceId}/stolen-report`, { token: tokens.ali, method: 'POST' })).json.status).toBe('stolen');
      expect(await eir(IMEI)).toMatchObject({ colour: 'black', reason: 'REPORTED_STOLEN' });
      const list = await call('/eir/blacklist', { token: tokens.mci });
      expect(list.type).toContain('text/csv');
      expect(list.text).toContain(`${IMEI},REPORTED_STOLEN`);
      const today = new Date().toISOString().slice(0, 10);
      expect((await call(`/eir/blacklist/changes?date=${today}`, { token: tokens.mci })).text).toContain(`${IMEI},added,REPORTED_STOLEN`);
      expect((await call(`/devices/${deviceId}/stolen-report`, { token: tokens.sara, method: 'POST' })).status).toBe(404);
      await call(`/devices/${deviceId}/recovery`, { token: tokens.ali, method: 'POST' });
      expect(await eir(IMEI)).toMatchObject({ colour: 'white', reason: 'REGISTERED' });
      const changes = (await call(`/eir/blacklist/changes?date=${today}`, { token: tokens.mci })).text.trim().split('\n');
      expect(changes[0]).toBe('imei,change,reason,at');
      expect(changes.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
        `${IMEI},added,REPORTED_STOLEN`,
        `${IMEI2},added,REPORTED_STOLEN`,
        `${IMEI},removed,RECOVERED`,
        `${IMEI2},removed,RECOVERED`,
      ]);
      expect((await call('/eir/blacklist', { token: tokens.mci })).text).toBe('imei,reason\n');
      expect((await call('/eir/blacklist/changes?date=2024-02-30', { token: tokens.mci })).status).toBe(400);
      expect((await call('/eir/blacklist', { token: tokens.ali })).status).toBe(403);
    });

    it('admin block → black BLOCKED; unblock → white; citizens cannot block', async () => {
      expect((await call(`/admin/devices/${deviceId}/block`, { token: tokens.ali, body: { reason: 'x y z' } })).status).toBe(403);
      expect((await call(`/admin/devices/${deviceId}/block`, { token: tokens.admin, body: { reason: 'court order 12' } })).json.status).toBe('blocked');
      expect((await call('/eir/check', { token: tokens.mci, body: { imeis: [IMEI, IMEI2, 'bad'] } })).json.results.map((x: { colour: string }) => x.colour)).toEqual([
        'black',
        'black',
        'grey',
      ]);
      await call(`/admin/devices/${deviceId}/unblock`, { token: tokens.admin, body: { reason: 'order lifted' } });
      expect(await eir(IMEI)).toMatchObject({ colour: 'white' });
    });

    it('transfer: owner starts, receiver accepts, both see it in history, the device moves', async () => {
      const t = await call(`/devices/${deviceId}/transfers`, { token: tokens.ali, body: { toNationalCode: SARA } });
      expect(t.status).toBe(201);
      expect((await call('/devices/transfers', { token: tokens.sara })).json.items[0]).toMatchObject({ transferId: t.json.transferId, status: 'pending' });
      expect((await call(`/devices/transfers/${t.json.transferId}/accept`, { token: tokens.ali, method: 'POST' })).status).toBe(422);
      expect((await call(`/devices/transfers/${t.json.transferId}/accept`, { token: tokens.sara, method: 'POST' })).json.status).toBe('accepted');
      expect((await call('/devices', { token: tokens.sara })).json.items[0].deviceId).toBe(deviceId);
      expect((await call('/devices', { token: tokens.ali })).json.items).toHaveLength(0);
      const aliHistory = (await call(`/devices/${deviceId}/history`, { token: tokens.ali })).json.items.map((h: { action: string }) => h.action);
      const saraHistory = (await call(`/devices/${deviceId}/history`, { token: tokens.sara })).json.items.map((h: { action: string }) => h.action);
      expect(aliHistory).toEqual(['registered', 'reported-stolen', 'recovered', 'blocked', 'unblocked', 'transfer-requested', 'transferred']);
      expect(saraHistory).toEqual(['transfer-requested', 'transferred']);
      // the SIM Ali registered it with is Ali's: the new owner does not see it (issue 15.6)
      const seen = await call(`/devices/${deviceId}`, { token: tokens.sara });
      expect(seen.json).toMatchObject({ deviceId, ownerNationalCode: SARA, msisdn: null });
      expect(seen.text).not.toContain('989121234567');
    });

    it('refuses a block reason with a NUL byte with 400, not 500', async () => {
      const r = await call(`/admin/devices/${deviceId}/block`, { token: tokens.admin, raw: JSON.stringify({ reason: 'court\u0000order' }), type: 'application/json' });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json.errors)).toContain('reason');
    });

    it('published every state change on hamta.devices (via the outbox), with the owner national code where the contract asks', async () => {
      const seen: { type: string; data: Record<string, unknown> }[] = [];
      const sub = await svc.app.get(MessageBus).subscribe({
        groupId: `hamta-e2e-probe-${randomUUID()}`,
        topics: ['hamta.devices'],
        fromBeginning: true,
        handle: async (e) => {
          seen.push({ type: e.type.replace('ir.darvazeh.hamta.device.', ''), data: e.data as Record<string, unknown> });
        },
      });
      const wanted = ['registration-rejected.v1', 'registered.v1', 'reported-stolen.v1', 'recovered.v1', 'blocked.v1', 'unblocked.v1', 'transfer-requested.v1', 'transferred.v1'];
      await eventually(async () => seen.map((e) => e.type), (types) => wanted.every((t) => types.includes(t)), 30_000);
      await sub.close();
      expect(wanted.filter((t) => !seen.some((e) => e.type === t))).toEqual([]);
      expect(seen.find((e) => e.type === 'transferred.v1')!.data.ownerNationalCode).toBe(SARA);
      expect(seen.find((e) => e.type === 'registered.v1')!.data.ownerNationalCode).toBe(ALI);
      expect(seen.find((e) => e.type === 'reported-stolen.v1')!.data.ownerNationalCode).toBe(ALI);
    }, 40_000);
  });

  describe('sightings stream', () => {
    const sighting = (date: string) => ({ operatorCode: 'MCI', date, imei: '86753090000000', imsi: '432111111111111', msisdn: '09127777777', rat: '4G' });

    it('keeps first/last seen through duplicates and out-of-order delivery, and the EIR learns the device', async () => {
      await publish('hamta.sightings', 'ir.darvazeh.hamta.sighting.reported.v1', '86753090000000', sighting('2024-03-10'));
      await publish('hamta.sightings', 'ir.darvazeh.hamta.sighting.reported.v1', '86753090000000', sighting('2024-03-02'));
      await publish('hamta.sightings', 'ir.darvazeh.hamta.sighting.reported.v1', '86753090000000', sighting('2024-03-10'));
      const rows = await eventually(
        () => ds.query(`SELECT first_seen::text f, last_seen::text l, hamta_seen_days(last_seen, recent_days)::text[] d FROM sightings WHERE imei = 86753090000000`),
        (r) => r.length === 1 && r[0].f === '2024-03-02' && r[0].d.length === 2,
      );
      expect(rows[0]).toEqual({ f: '2024-03-02', l: '2024-03-10', d: ['2024-03-02', '2024-03-10'] });
      expect((await eir('86753090000000')).colour).toBe('grey');
    }, 30_000);

    it('dead-letters a sighting with another operator’s IMSI and an ownership change with a bad national code, recording neither', async () => {
      const brokers = testKafkaBrokers();
      const ce = (type: string, subject: string) => ({
        ce_specversion: '1.0',
        ce_id: randomUUID(),
        ce_type: type,
        ce_source: '/operators/MCI',
        ce_subject: subject,
        ce_time: new Date().toISOString(),
        'content-type': 'application/json',
      });
      await produceWithKcat(brokers, testTopic('hamta.sightings'), [
        { key: '35999900000001', headers: ce('ir.darvazeh.hamta.sighting.reported.v1', '35999900000001'), value: { ...sighting('2024-03-11'), imei: '35999900000001', imsi: '432359999999999' } },
      ]);
      await produceWithKcat(brokers, testTopic('hamta.subscribers'), [
        {
          key: '989125550000',
          headers: ce('ir.darvazeh.hamta.subscriber.ownership-changed.v1', '989125550000'),
          value: { operatorCode: 'MCI', msisdn: '09125550000', nationalCode: '0012345678', validFrom: '2019-01-01T00:00:00Z' },
        },
      ]);
      const [badSighting] = await readTopicWithKcat(brokers, testTopic('hamta.sightings.dlt'), { count: 1, timeoutMs: 30_000 });
      expect(badSighting.headers['dlt-error']).toContain('HAMTA.SIGHTING_INVALID');
      const [badOwner] = await readTopicWithKcat(brokers, testTopic('hamta.subscribers.dlt'), { count: 1, timeoutMs: 30_000 });
      expect(badOwner.headers['dlt-error']).toContain('HAMTA.OWNERSHIP_INVALID');
      expect(await ds.query(`SELECT 1 FROM sightings WHERE imei = 35999900000001`)).toEqual([]);
      expect(await ds.query(`SELECT 1 FROM subscriber_ownerships WHERE msisdn = '989125550000'`)).toEqual([]);
    }, 70_000);
  });
});
