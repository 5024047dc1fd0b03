import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startService, type RunningService } from '@darvazeh/http';
import {
  createTestDatabase,
  freePort,
  startTestService,
  testKafkaBrokers,
  testKafkaNamespace,
  testLogLevel,
  type JsonBody,
  type TestDatabase,
  type TestService,
} from '@darvazeh/testing';
import { IdentityEnv } from '../apps/identity/src/config/identity.env.js';
import { IdentityModule } from '../apps/identity/src/identity.module.js';
import { DeviceRegistryEnv } from '../apps/device-registry/src/config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE as DEVICE_REGISTRY } from '../apps/device-registry/src/device-registry.module.js';

/**
 * Immediate revocation across services, over real HTTP, PostgreSQL and the real Kafka broker:
 * identity disables an operator, publishes principal.disabled through its outbox, and
 * device-registry (libs/auth PrincipalRevocationModule) refuses the operator's token that is
 * still unexpired — on its Nest routes and on the EIR fast lane that caches verified tokens.
 */
const ADMIN = { id: 'revocation-admin', secret: 'revocation-bootstrap-secret' };
/** Upper bound on waiting for the event to travel (not a timing assertion: it only ends the wait). */
const BOUND_MS = 20_000;

describe('principal revocation: identity → identity.principals → device-registry', () => {
  let identityDb: TestDatabase;
  let identity: RunningService<IdentityEnv>;
  let registry: TestService<DeviceRegistryEnv>;
  let idUrl: string;

  beforeAll(async () => {
    identityDb = await createTestDatabase('revocation_identity');
    const port = await freePort();
    idUrl = `http://127.0.0.1:${port}`;
    identity = await startService({
      service: 'identity',
      envClass: IdentityEnv,
      module: (env) => IdentityModule.register(env),
      envSource: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: identityDb.url,
        KAFKA_BROKERS: testKafkaBrokers(),
        KAFKA_NAMESPACE: testKafkaNamespace(),
        JWKS_URL: `${idUrl}/.well-known/jwks.json`,
        JWT_ISSUER: idUrl,
        JWT_AUDIENCE: 'darvazeh',
        LOG_LEVEL: testLogLevel(),
        KEY_ENCRYPTION_SECRET: 'revocation-e2e-key-encryption-secret',
        BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN.id,
        BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN.secret,
        CLIENT_SECRET_SCRYPT_N: '1024',
      },
    });
    registry = await startTestService({
      service: DEVICE_REGISTRY,
      envClass: DeviceRegistryEnv,
      module: (env) => DeviceRegistryModule.register(env),
      label: 'revocation_registry',
      env: { JWKS_URL: `${idUrl}/.well-known/jwks.json`, JWT_ISSUER: idUrl, JWT_AUDIENCE: 'darvazeh', LOG_LEVEL: testLogLevel() },
    });
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await identity?.close();
    await identityDb?.drop();
  });

  async function token(id: string, secret: string): Promise<string> {
    const res = await fetch(`${idUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function call(base: string, method: string, path: string, bearer: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as JsonBody };
  }

  type Answer = Awaited<ReturnType<typeof call>>;

  /** Polls until `probe` answers `status` (and `code`, if given); fails with the last answer past the bound. */
  async function eventually(probe: () => Promise<Answer>, status: number, code?: string): Promise<Answer> {
    const start = Date.now();
    let last: Answer | undefined;
    while (Date.now() - start < BOUND_MS) {
      last = await probe();
      if (last.status === status && (code === undefined || last.json.code === code)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`still ${JSON.stringify(last)} after ${BOUND_MS} ms (expected ${status} ${code ?? ''})`);
  }

  it('a disabled operator is refused by device-registry after the event, and accepted again once enabled', async () => {
    const admin = await token(ADMIN.id, ADMIN.secret);
    const created = await call(idUrl, 'POST', '/principals', admin, { name: 'MCI feed', roles: ['operator'], operatorCode: 'MCI' });
    expect(created.status).toBe(201);
    const operator = await token(created.json.clientId as string, created.json.clientSecret as string);

    const files = () => call(registry.url, 'GET', '/operators/MCI/files', operator);
    const eir = () => call(registry.url, 'GET', '/eir/check?imei=490154203237518', operator);
    expect((await files()).status).toBe(200);
    expect((await eir()).status).toBe(200); // the fast lane now holds the verified token in its cache

    expect((await call(idUrl, 'POST', `/principals/${created.json.id as string}/disable`, admin)).status).toBe(200);
    const refused = await eventually(files, 403);
    expect(refused.type).toMatch(/application\/problem\+json/);
    expect(refused.json).toMatchObject({ status: 403, code: 'AUTH.PRINCIPAL_DISABLED' });
    expect((await eir()).status).toBe(401);
    // identity itself refuses the token too (it consumes its own topic like every service).
    await eventually(() => call(idUrl, 'GET', '/agencies/me', operator), 403, 'AUTH.PRINCIPAL_DISABLED');

    expect((await call(idUrl, 'POST', `/principals/${created.json.id as string}/enable`, admin)).status).toBe(200);
    await eventually(files, 200);
    expect((await eir()).status).toBe(200);
  }, 90_000);

  it('the denylist is durable: a restarted device-registry refuses the disabled principal from its table', async () => {
    const admin = await token(ADMIN.id, ADMIN.secret);
    const created = await call(idUrl, 'POST', '/principals', admin, { name: 'Rightel feed', roles: ['operator'], operatorCode: 'RIGHTEL' });
    const operator = await token(created.json.clientId as string, created.json.clientSecret as string);
    const files = () => call(registry.url, 'GET', '/operators/RIGHTEL/files', operator);
    expect((await call(idUrl, 'POST', `/principals/${created.json.id as string}/disable`, admin)).status).toBe(200);
    await eventually(files, 403);
    await registry.restart();
    expect((await files()).status).toBe(403);
  }, 90_000);
});
