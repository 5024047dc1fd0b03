// Cross-service flow on the platform: identity issues real tokens, device-registry verifies
// them itself through identity's JWKS (the gateway is not the only lock), roles are enforced
// across services, and a request's W3C trace reaches the Kafka headers of the event it caused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { RunningService } from '@darvazeh/http';
import { startService } from '@darvazeh/http';
import { createTestDatabase, freePort, readTopicWithKcat, testKafkaBrokers, TestIssuer, type TestDatabase } from '@darvazeh/testing';
import { IdentityEnv } from '../apps/identity/src/config/identity.env.js';
import { IdentityModule } from '../apps/identity/src/identity.module.js';
import { DeviceRegistryEnv } from '../apps/device-registry/src/config/device-registry.env.js';
import { DeviceRegistryModule } from '../apps/device-registry/src/device-registry.module.js';

const ADMIN = { id: 'flow-admin', secret: 'flow-bootstrap-admin-secret' };
// Own topic namespace on the shared broker: other test files' consumers never see these events.
const NAMESPACE = `flow${randomUUID().slice(0, 8)}`;
const databases: TestDatabase[] = [];
let identity: RunningService<IdentityEnv>;
let registry: RunningService<DeviceRegistryEnv>;

async function clientToken(clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${identity.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function post(url: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A legal national ID with a valid check digit for a 10-digit body (test data only). */
function legalId(body: string): string {
  const weights = [29, 27, 23, 19, 17];
  const d = Number(body[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (Number(body[i]) + d) * weights[i % 5]!;
  return body + String(sum % 11 === 10 ? 0 : sum % 11);
}

beforeAll(async () => {
  const brokers = testKafkaBrokers();
  const identityDb = await createTestDatabase('flow_identity');
  const registryDb = await createTestDatabase('flow_registry');
  databases.push(identityDb, registryDb);
  const port = await freePort();
  const identityUrl = `http://127.0.0.1:${port}`;
  const trust = { JWKS_URL: `${identityUrl}/.well-known/jwks.json`, JWT_ISSUER: identityUrl, JWT_AUDIENCE: 'darvazeh' };
  const common = { HOST: '127.0.0.1', KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: NAMESPACE, LOG_LEVEL: 'error', ...trust };
  identity = await startService({
    service: 'identity',
    envClass: IdentityEnv,
    envSource: {
      ...common,
      PORT: String(port),
      DATABASE_URL: identityDb.url,
      KEY_ENCRYPTION_SECRET: 'flow-key-encryption-secret-0123456789',
      BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN.id,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN.secret,
    },
    module: (env) => IdentityModule.register(env),
  });
  registry = await startService({
    service: 'device-registry',
    envClass: DeviceRegistryEnv,
    port: 0,
    envSource: { ...common, DATABASE_URL: registryDb.url },
    module: (env) => DeviceRegistryModule.register(env),
  });
}, 180_000);

afterAll(async () => {
  await registry?.close();
  await identity?.close();
  for (const db of databases) await db.drop();
});

describe('platform flow across services', () => {
  it('an operator token from identity is accepted by device-registry, which checks it itself', async () => {
    const admin = await clientToken(ADMIN.id, ADMIN.secret);
    const created = await post(`${identity.url}/principals`, admin, { name: 'MCI EIR', roles: ['operator'], operatorCode: 'MCI' });
    expect(created.status).toBe(201);
    const operator = (await created.json()) as { clientId: string; clientSecret: string };
    const token = await clientToken(operator.clientId, operator.clientSecret);

    const check = await fetch(`${registry.url}/eir/check?imei=490154203237518`, { headers: { authorization: `Bearer ${token}` } });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ imei: '490154203237518', colour: expect.stringMatching(/^(white|grey|black)$/) });
  }, 60_000);

  it('a token of the wrong role is refused by device-registry (403), a foreign one (401)', async () => {
    const admin = await clientToken(ADMIN.id, ADMIN.secret);
    const asAdmin = await fetch(`${registry.url}/eir/check?imei=490154203237518`, { headers: { authorization: `Bearer ${admin}` } });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.headers.get('content-type')).toContain('application/problem+json');

    // Same issuer name and claims, but signed by a key identity never published.
    const forger = await TestIssuer.start();
    try {
      const forged = await forger.mintToken({ sub: 'x', roles: ['operator'], operator_code: 'MCI' });
      const res = await fetch(`${registry.url}/eir/check?imei=490154203237518`, { headers: { authorization: `Bearer ${forged}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('AUTH.TOKEN_INVALID');
    } finally {
      await forger.close();
    }
  }, 60_000);

  it('the traceparent of an HTTP request reaches the Kafka headers of the event it caused', async () => {
    const admin = await clientToken(ADMIN.id, ADMIN.secret);
    const traceId = randomUUID().replace(/-/g, '');
    const created = await post(
      `${identity.url}/agencies`,
      admin,
      { name: 'Trace Agency', nationalId: legalId(String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)).slice(0, 10)), parentMinistry: 'ICT', type: 'ministry' },
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect(created.status).toBe(201);
    const agencyId = ((await created.json()) as { id: string }).id;

    const deadline = Date.now() + 20_000;
    let event: Awaited<ReturnType<typeof readTopicWithKcat>>[number] | undefined;
    while (!event && Date.now() < deadline) {
      const messages = await readTopicWithKcat(testKafkaBrokers(), `${NAMESPACE}.identity.principals`, { timeoutMs: 5_000 }).catch(() => []);
      event = messages.find((m) => m.headers.ce_type === 'ir.darvazeh.identity.agency.registered.v1' && m.key === agencyId);
    }
    expect(event?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  }, 60_000);
});
