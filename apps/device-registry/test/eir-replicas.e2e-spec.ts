import { DataSource } from 'typeorm';
import { startService, type RunningService } from '@darvazeh/http';
import { startTestService, testKafkaBrokers, testKafkaNamespace, type TestService, type JsonBody } from '@darvazeh/testing';
import { DeviceRegistryEnv } from '../src/config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE } from '../src/device-registry.module.js';

const ALI = '0012345679';
const IMEI = '490154203237518';
const MSISDN = '09121234567';
const FILE = ['date,imei,imsi,msisdn,rat', `2020-12-01,${IMEI},432111234567890,${MSISDN},4G`].join('\n');
/** How long a change committed on one replica may take to reach another's EIR answers. */
const BOUND_MS = 10_000;

/**
 * Two replicas of the app on ONE database and the real Kafka broker: a change committed through
 * replica A must change replica B's EIR answer (B's index learns it from `hamta.devices`, not from
 * its own commits), and the other way round.
 */
describe('EIR index across replicas', () => {
  let a: TestService<DeviceRegistryEnv>;
  let b: RunningService<DeviceRegistryEnv>;
  const tokens: Record<string, string> = {};

  const call = async (base: string, path: string, token: string, body?: unknown, raw?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw !== undefined) headers['content-type'] = 'text/csv';
    const res = await fetch(`${base}${path}`, {
      method: body !== undefined || raw !== undefined ? 'POST' : 'GET',
      headers,
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
    });
    return { status: res.status, json: (await res.json()) as JsonBody };
  };
  const eirOn = (base: string) => call(base, `/eir/check?imei=${IMEI}`, tokens.mci).then((r) => r.json.reason as string);
  /** Polls until `base` answers `reason`; returns how long that took (or fails past the bound). */
  const flipsWithin = async (base: string, reason: string): Promise<number> => {
    const start = Date.now();
    let last = '';
    while (Date.now() - start < BOUND_MS) {
      last = await eirOn(base);
      if (last === reason) return Date.now() - start;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${base} still answers ${last} ${BOUND_MS} ms after the change (expected ${reason})`);
  };

  beforeAll(async () => {
    a = await startTestService({
      service: SERVICE,
      envClass: DeviceRegistryEnv,
      module: (env) => DeviceRegistryModule.register(env),
      label: 'hamta_replicas',
      env: { INSTANCE_ID: 'replica-a' },
    });
    b = await startService({
      service: SERVICE,
      envClass: DeviceRegistryEnv,
      module: (env) => DeviceRegistryModule.register(env),
      port: 0,
      envSource: {
        SERVICE_NAME: SERVICE,
        HOST: '127.0.0.1',
        DATABASE_URL: a.db.url,
        KAFKA_BROKERS: testKafkaBrokers(),
        KAFKA_NAMESPACE: testKafkaNamespace(),
        KAFKA_TOPIC_PARTITIONS: '3',
        KAFKA_REPLICATION_FACTOR: '1',
        JWKS_URL: a.issuer.jwksUrl,
        JWT_ISSUER: a.issuer.issuer,
        JWT_AUDIENCE: a.issuer.audience,
        LOG_LEVEL: 'warn',
        MIGRATE_ON_START: 'false',
        INSTANCE_ID: 'replica-b',
      },
    });
    const mint = a.issuer.mintToken.bind(a.issuer);
    tokens.ali = await mint({ sub: 'citizen-ali', roles: ['citizen'], national_code: ALI });
    tokens.mci = await mint({ sub: 'op-mci', roles: ['operator'], operator_code: 'MCI' });
    tokens.admin = await mint({ sub: 'admin-1', roles: ['admin'] });
    const ds = a.app.get(DataSource);
    await ds.query(`INSERT INTO subscriber_ownerships (msisdn, valid_from, national_code, operator_code) VALUES ('989121234567', '2019-01-01', $1, 'MCI')`, [ALI]);
    expect((await call(a.url, '/operators/MCI/sighting-files?from=2020-12-01&to=2020-12-01', tokens.mci, undefined, FILE)).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a registration, stolen report, recovery, admin block and unblock on one replica flip the other replica’s EIR answer', async () => {
    const took: Record<string, number> = {};
    const reg = await call(a.url, '/devices/registrations', tokens.ali, { imeis: [IMEI], msisdn: MSISDN });
    expect(reg.json.decision).toBe('approved');
    const deviceId = reg.json.deviceId as string;
    took.registered = await flipsWithin(b.url, 'REGISTERED');

    expect((await call(a.url, `/devices/${deviceId}/stolen-report`, tokens.ali, {})).status).toBeLessThan(300);
    took.stolen = await flipsWithin(b.url, 'REPORTED_STOLEN');

    // Blocked on B while stolen; unblocking on A must leave it black for being stolen (flags are independent).
    expect((await call(b.url, `/admin/devices/${deviceId}/block`, tokens.admin, { reason: 'court order 12' })).status).toBeLessThan(300);
    took.blocked = await flipsWithin(a.url, 'BLOCKED');
    expect((await call(a.url, `/admin/devices/${deviceId}/unblock`, tokens.admin, { reason: 'order lifted' })).status).toBeLessThan(300);
    took.unblocked = await flipsWithin(b.url, 'REPORTED_STOLEN');

    expect((await call(b.url, `/devices/${deviceId}/recovery`, tokens.ali, {})).status).toBeLessThan(300);
    took.recovered = await flipsWithin(a.url, 'REGISTERED');
    expect(await eirOn(b.url)).toBe('REGISTERED');
  }, 90_000);
});
