import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { startService, type RunningService } from '@darvazeh/http';
import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  freePort,
  produceWithKcat,
  readTopicWithKcat,
  testKafkaBrokers,
  testKafkaNamespace,
  testLogLevel,
  testTopic,
  type TestDatabase,
} from '@darvazeh/testing';
import { IdentityEnv } from '../src/config/identity.env.js';
import { IdentityModule } from '../src/identity.module.js';
import { ManualClock } from '../src/shared/clock.js';
import { CapturingSmsSender } from '../src/testing/in-memory.js';

// The whole identity app over real HTTP, real PostgreSQL and the real Kafka broker.
const ADMIN = { id: 'e2e-admin', secret: 'e2e-bootstrap-admin-secret' };
const sms = new CapturingSmsSender();
const clock = new ManualClock(new Date());
let db: TestDatabase;
let service: RunningService<IdentityEnv>;
let url: string;
let brokers: string;

/** Legal national ID with a valid check digit for a 10-digit body (test data only). */
function legalId(body: string): string {
  const w = [29, 27, 23, 19, 17];
  const d = Number(body[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (Number(body[i]) + d) * w[i % 5];
  return body + String(sum % 11 === 10 ? 0 : sum % 11);
}

beforeAll(async () => {
  brokers = testKafkaBrokers();
  db = await createTestDatabase('identity_e2e');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = await startService({
    service: 'identity',
    envClass: IdentityEnv,
    envSource: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers,
      // This file's own topics and groups (read with kcat as testTopic('<topic>')).
      KAFKA_NAMESPACE: testKafkaNamespace(),
      // Addresses in X-Forwarded-For from loopback stand for different callers (throttle tests).
      TRUST_PROXY: 'loopback',
      JWKS_URL: `${url}/.well-known/jwks.json`,
      JWT_ISSUER: url,
      JWT_AUDIENCE: 'darvazeh',
      LOG_LEVEL: testLogLevel(),
      KEY_ENCRYPTION_SECRET: 'e2e-key-encryption-secret-0123456789',
      BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN.id,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN.secret,
      TOKEN_AUTH_FAILURES_PER_CLIENT_IP: '5',
      OTP_MAX_FAILURES: '6',
      // The per-national-code send budget runs on real time (rate-limiter-flexible), the rest on the manual clock.
      OTP_RESEND_SECONDS: '1',
      TOKEN_RATE_LIMIT_PER_IP: '1000',
    },
    module: (env) => IdentityModule.register(env, { smsSender: sms, clock }),
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await db?.drop();
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

async function clientToken(id: string, secret: string): Promise<string> {
  const { res, body } = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(id, secret) });
  expect(res.status).toBe(200);
  return body.access_token as string;
}

/** Each call from its own documentation address (TRUST_PROXY=loopback), so per-IP budgets stay out of the way. */
const someAddress = () => `192.0.2.${1 + Math.floor(Math.random() * 250)}`;

async function api(method: string, path: string, token?: string, body?: unknown, extraHeaders: Record<string, string> = { 'x-forwarded-for': someAddress() }) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...extraHeaders,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field in each test
  return { res, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

async function verifyWithJwks(token: string): Promise<JWTPayload> {
  // jose fetching our JWKS over HTTP: the same path any relying party takes.
  const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, jwks, { issuer: url, audience: 'darvazeh', algorithms: ['ES256'], currentDate: clock.now() });
  return payload;
}

describe('identity e2e: agencies and client credentials', () => {
  const nationalId = legalId('1400765091');
  let admin: string;
  let agencyId: string;
  let credentials: { clientId: string; clientSecret: string };

  it('publishes discovery metadata', async () => {
    const { res, body } = await api('GET', '/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      issuer: url,
      jwks_uri: `${url}/.well-known/jwks.json`,
      token_endpoint: `${url}/oauth/token`,
      grant_types_supported: ['client_credentials'],
    });
    const jwks = await api('GET', '/.well-known/jwks.json');
    expect(jwks.res.headers.get('cache-control')).toMatch(/max-age/);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it('the bootstrap admin from config gets an admin token', async () => {
    admin = await clientToken(ADMIN.id, ADMIN.secret);
    expect((await verifyWithJwks(admin)).roles).toEqual(['admin']);
  });

  it('admin registers an agency; the secret is shown once', async () => {
    const { res, body } = await api('POST', '/agencies', admin, {
      name: 'Iranian National Tax Administration',
      nationalId,
      parentMinistry: 'Ministry of Economic Affairs and Finance',
      type: 'government_organization',
      scopes: ['notices:send'],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ nationalId, status: 'active', type: 'government_organization' });
    expect(body.clientSecret).toEqual(expect.any(String));
    agencyId = body.id;
    credentials = { clientId: body.clientId, clientSecret: body.clientSecret };
    const again = await api('GET', `/agencies/${agencyId}`, admin);
    expect(again.body.clientId).toBe(credentials.clientId);
    expect(again.body.clientSecret).toBeUndefined();
  });

  it('client credentials (secret in the body) give an ES256 token that verifies against the JWKS', async () => {
    const { res, body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'notices:send' });
    const token = body.access_token as string;
    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe('ES256');
    expect(header.kid).toEqual(expect.any(String));
    const claims = await verifyWithJwks(token);
    expect(claims).toMatchObject({ iss: url, aud: 'darvazeh', sub: credentials.clientId, roles: ['agency'], agency_id: agencyId, scope: 'notices:send' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.jti).toEqual(expect.any(String));
    // The platform's guard accepts it: the agency reads its own record, but not the admin list.
    expect((await api('GET', '/agencies/me', token)).body.id).toBe(agencyId);
    expect((await api('GET', '/agencies', token)).res.status).toBe(403);
  });

  it('a wrong secret is 401 invalid_client with WWW-Authenticate', async () => {
    const { res, body } = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(credentials.clientId, 'wrong') });
    expect(res.status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="darvazeh"/);
  });

  it('an unsupported grant is 400 unsupported_grant_type; a JSON body is invalid_request', async () => {
    const { res, body } = await tokenRequest({ grant_type: 'password', username: 'a', password: 'b' });
    expect(res.status).toBe(400);
    expect(body.error).toBe('unsupported_grant_type');
    const json = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('rotating the secret: the old one fails, the new one works', async () => {
    const { res, body } = await api('POST', `/agencies/${agencyId}/secret`, admin);
    expect(res.status).toBe(200);
    expect(body.clientId).toBe(credentials.clientId);
    const old = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(credentials.clientId, credentials.clientSecret) });
    expect(old.res.status).toBe(401);
    credentials = { clientId: body.clientId, clientSecret: body.clientSecret };
    await clientToken(credentials.clientId, credentials.clientSecret);
  });

  it('a duplicate national ID is 409; a bad check digit is 400 naming the field and writes nothing', async () => {
    const dup = await api('POST', '/agencies', admin, { name: 'Dup', nationalId, parentMinistry: 'X', type: 'other' });
    expect(dup.res.status).toBe(409);
    expect(dup.res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(dup.body.code).toBe('IDENTITY.AGENCY_ALREADY_REGISTERED');
    const bad = await api('POST', '/agencies', admin, { name: 'Bad', nationalId: '10380284791', parentMinistry: 'X', type: 'other' });
    expect(bad.res.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'nationalId' })]);
    const extra = await api('POST', '/agencies', admin, { name: 'X', nationalId: legalId('1010101010'), parentMinistry: 'X', type: 'other', secretBackdoor: 1 });
    expect(extra.res.status).toBe(400);
    expect(JSON.stringify(extra.body.errors)).toContain('secretBackdoor');
    const list = await api('GET', '/agencies?limit=50', admin);
    expect(list.body.items.map((a: { name: string }) => a.name)).toEqual(['Iranian National Tax Administration']);
    // The list names each agency's client id as the single read does (it said null).
    expect(list.body.items[0].clientId).toBe(credentials.clientId);
  });

  it('admin routes refuse callers without a token or without the admin role', async () => {
    expect((await api('POST', '/agencies', undefined, {})).res.status).toBe(401);
    const { body: created } = await api('POST', '/principals', admin, { name: 'ITO expert', roles: ['expert'] });
    const expert = await clientToken(created.clientId, created.clientSecret);
    expect((await api('POST', '/agencies', expert, { name: 'x', nationalId, parentMinistry: 'x', type: 'other' })).res.status).toBe(403);
    expect((await api('POST', '/signing-keys/rotate', expert)).res.status).toBe(403);
  });

  it('admin creates an operator principal; its token carries operator_code', async () => {
    const missing = await api('POST', '/principals', admin, { name: 'MCI', roles: ['operator'] });
    expect(missing.res.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('operatorCode');
    const { res, body } = await api('POST', '/principals', admin, { name: 'MCI', roles: ['operator'], operatorCode: 'MCI' });
    expect(res.status).toBe(201);
    const claims = await verifyWithJwks(await clientToken(body.clientId, body.clientSecret));
    expect(claims).toMatchObject({ roles: ['operator'], operator_code: 'MCI' });
  });

  it('admin creates a CA operator bound to its issuers; its token carries ca_issuers', async () => {
    const missing = await api('POST', '/principals', admin, { name: 'CA ops', roles: ['ca'] });
    expect(missing.res.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('caIssuers');
    const { res, body } = await api('POST', '/principals', admin, { name: 'CA ops', roles: ['ca'], caIssuers: ['national-ca-1'] });
    expect(res.status).toBe(201);
    expect(body.caIssuers).toEqual(['national-ca-1']);
    const claims = await verifyWithJwks(await clientToken(body.clientId, body.clientSecret));
    expect(claims).toMatchObject({ roles: ['ca'], ca_issuers: ['national-ca-1'] });
  });

  it('disabling the agency stops its credentials', async () => {
    const { res, body } = await api('POST', `/agencies/${agencyId}/disable`, admin);
    expect(res.status).toBe(200);
    expect(body.status).toBe('disabled');
    const after = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(credentials.clientId, credentials.clientSecret) });
    expect(after.res.status).toBe(401);
    expect(after.body.error).toBe('invalid_client');
  });

  it('agency.registered and agency.disabled reach identity.principals on Kafka (read with kcat)', async () => {
    const deadline = Date.now() + 20_000;
    let mine: Awaited<ReturnType<typeof readTopicWithKcat>> = [];
    while (Date.now() < deadline) {
      const all = await readTopicWithKcat(brokers, testTopic('identity.principals'), { timeoutMs: 10_000 });
      mine = all.filter((m) => m.key === agencyId);
      if (mine.length >= 2) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(mine.map((m) => m.headers.ce_type)).toEqual([
      'ir.darvazeh.identity.agency.registered.v1',
      'ir.darvazeh.identity.agency.disabled.v1',
    ]);
    expect(mine[0].headers).toMatchObject({ ce_specversion: '1.0', ce_subject: agencyId, ce_source: '/darvazeh/identity' });
    expect(mine[0].payload).toMatchObject({ agencyId, nationalId, clientId: credentials.clientId });
    expect(mine[0].raw).not.toContain(credentials.clientSecret);
  }, 30_000);

  it('wrong secrets throttle the attacker (client id + address) → 429 with Retry-After, never the real client', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const { res } = await tokenRequest({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: `guess-${i}` }, attacker);
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right secret is not checked for the throttled pair …
    const blocked = await tokenRequest({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }, attacker);
    expect(blocked.res.status).toBe(429);
    // … while the real client, from its own address, is not locked out (it used to get 429 too).
    const real = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(ADMIN.id, ADMIN.secret), 'x-forwarded-for': '198.51.100.20' });
    expect(real.res.status).toBe(200);
  });
});

/** An operator's subscriber record on hamta.subscribers, as the operators publish them. */
async function ownership(msisdn: string, nationalCode: string | null, validFrom = '2020-01-01T00:00:00Z', operatorCode = 'MCI') {
  await produceWithKcat(brokers, testTopic('hamta.subscribers'), [
    {
      key: msisdn,
      headers: {
        ce_specversion: '1.0',
        ce_id: randomUUID(),
        ce_type: 'ir.darvazeh.hamta.subscriber.ownership-changed.v1',
        ce_source: `/operators/${operatorCode}`,
        ce_subject: msisdn,
        ce_time: new Date().toISOString(),
        'content-type': 'application/json',
      },
      value: { operatorCode, msisdn, nationalCode, validFrom },
    },
  ]);
}

/** Registration, retried while identity has not yet consumed the ownership record. */
async function registerWhenOwned(body: Record<string, string>) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await api('POST', '/citizens', undefined, body);
    if (r.res.status !== 422 || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('identity e2e: citizens', () => {
  const nationalCode = '1583250689';
  let token: string;

  it('refuses a mobile the operators do not record for the national code (422, naming no owner)', async () => {
    await ownership('989351112233', '0499370899');
    const r = await api('POST', '/citizens', undefined, { nationalCode, mobile: '09351112233' });
    expect(r.res.status).toBe(422);
    expect(r.body.code).toBe('IDENTITY.MOBILE_NOT_OWNED');
    expect(JSON.stringify(r.body)).not.toContain('0499370899');
  });

  it('registers with a national code and a +98 mobile the operators record for it; shown as 09…', async () => {
    await ownership('989121234567', nationalCode);
    const { res, body } = await registerWhenOwned({ nationalCode, mobile: '+98 912 123 4567' });
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ nationalCode, mobile: '09121234567' });
    const bad = await api('POST', '/citizens', undefined, { nationalCode: '1111111111', mobile: '021' });
    expect(bad.res.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['nationalCode', 'mobile']);
  });

  it('logs in with the SMS code and reads only its own profile', async () => {
    const sent = await api('POST', '/citizens/otp', undefined, { nationalCode });
    expect(sent.res.status).toBe(202);
    expect(sent.body).toEqual({ message: expect.any(String), expiresInSeconds: 120, resendAfterSeconds: 1 });
    // An unknown national code gets the very same answer (and no SMS).
    const unknown = await api('POST', '/citizens/otp', undefined, { nationalCode: '0499370899' });
    expect([unknown.res.status, unknown.body]).toEqual([202, sent.body]);
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent.at(-1)?.to).toBe('09121234567');
    const code = sms.lastCode()!;
    const wrong = await api('POST', '/citizens/otp/verify', undefined, { nationalCode, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.res.status).toBe(401);
    const ok = await api('POST', '/citizens/otp/verify', undefined, { nationalCode, code });
    expect(ok.res.status).toBe(200);
    token = ok.body.access_token;
    const claims = await verifyWithJwks(token);
    expect(claims).toMatchObject({ roles: ['citizen'], national_code: nationalCode });
    const me = await api('GET', '/citizens/me', token);
    expect(me.body).toMatchObject({ nationalCode, mobile: '09121234567', id: claims.sub });
    const adminToken = await clientToken(ADMIN.id, ADMIN.secret);
    expect((await api('GET', '/citizens/me', adminToken)).res.status).toBe(403);
    expect((await api('GET', '/agencies', token)).res.status).toBe(403);
  });

  it('a resend within the resend period is 429 with Retry-After, for an unknown national code as for a registered one', async () => {
    clock.advanceSeconds(61);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const code of [nationalCode, '0499370899']) {
      expect((await api('POST', '/citizens/otp', undefined, { nationalCode: code })).res.status).toBe(202);
      const again = await api('POST', '/citizens/otp', undefined, { nationalCode: code });
      expect(again.res.status).toBe(429);
      expect(again.body.code).toBe('IDENTITY.OTP_RESEND_TOO_SOON');
      expect(Number(again.res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('wrong codes lock the account across new codes (OTP_MAX_FAILURES=6): a new code no longer resets the tries', async () => {
    const wrong = () => api('POST', '/citizens/otp/verify', undefined, { nationalCode, code: '000000' });
    const nextSendPeriod = async () => {
      clock.advanceSeconds(61);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    };
    for (let round = 0; round < 2; round++) {
      await nextSendPeriod();
      expect((await api('POST', '/citizens/otp', undefined, { nationalCode })).res.status).toBe(202);
      const code = sms.lastCode()!;
      for (let i = 0; i < 3; i++) expect((await wrong()).res.status).toBe(401);
      if (round === 1) {
        // Six wrong in a row over two codes: locked; the right code of the live challenge is refused.
        const right = await api('POST', '/citizens/otp/verify', undefined, { nationalCode, code });
        expect(right.res.status).toBe(401);
        expect(right.body.detail).toBe((await wrong()).body.detail);
      }
    }
    const sentBefore = sms.sent.length;
    await nextSendPeriod();
    expect((await api('POST', '/citizens/otp', undefined, { nationalCode })).res.status).toBe(202);
    expect(sms.sent).toHaveLength(sentBefore);
    clock.advanceSeconds(3600);
  });

  it('strings with NUL bytes or lone surrogates are 400, not 500; JSON nested 3,000 deep is 400, not a stack overflow', async () => {
    const raw = (body: string) =>
      fetch(`${url}/citizens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    const nul = await raw(`{"nationalCode":"158325\\u00000689","mobile":"09121234567"}`);
    expect([nul.status, nul.body.code]).toEqual([400, 'REQUEST.INVALID_CHARACTERS']);
    const surrogate = await raw(`{"nationalCode":"1583250689","mobile":"0912\\ud8001234567"}`);
    expect([surrogate.status, surrogate.body.code]).toEqual([400, 'REQUEST.INVALID_CHARACTERS']);
    const deep = await raw(`{"nationalCode":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    expect([deep.status, deep.body.code]).toEqual([400, 'REQUEST.JSON_TOO_DEEP']);
    const plain = await fetch(`${url}/citizens`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(plain.status).toBe(415);
  });

  it('citizen.registered reaches identity.principals', async () => {
    const claims = decodeJwt(token); // verified above; the manual clock has moved past its expiry since
    const deadline = Date.now() + 20_000;
    let found;
    while (!found && Date.now() < deadline) {
      const all = await readTopicWithKcat(brokers, testTopic('identity.principals'), { timeoutMs: 10_000 });
      found = all.find((m) => m.key === claims.sub);
      if (!found) await new Promise((r) => setTimeout(r, 300));
    }
    expect(found?.headers.ce_type).toBe('ir.darvazeh.identity.citizen.registered.v1');
    expect(found?.payload).toEqual(expect.objectContaining({ nationalCode }));
    expect(found?.raw).not.toContain('912123');
  }, 30_000);
});

describe('identity e2e: OpenAPI document', () => {
  it('documents /oauth/token with its form body and 200, every operation with a summary, no empty schema', async () => {
    const { body: doc } = await api('GET', '/docs/openapi.json');
    const token = doc.paths['/oauth/token'].post;
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(token.requestBody.content['application/x-www-form-urlencoded'].schema.properties).toHaveProperty('grant_type');
    expect(Object.keys(token.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(token.responses['201']).toBeUndefined();
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>)) {
      for (const [method, op] of Object.entries(ops)) if (!op.summary) missing.push(`${method} ${path}`);
    }
    expect(missing).toEqual([]);
    const empty = Object.entries((doc.components?.schemas ?? {}) as Record<string, { properties?: object; type?: string }>)
      .filter(([, schema]) => Object.keys(schema.properties ?? {}).length === 0)
      .map(([name]) => name);
    expect(empty).toEqual([]);
  });
});

describe('identity e2e: signing key rotation', () => {
  it('keeps the old key in the JWKS until tokens it signed expired, then drops it', async () => {
    const admin = await clientToken(ADMIN.id, ADMIN.secret);
    const oldKid = decodeProtectedHeader(admin).kid;
    const { res, body } = await api('POST', '/signing-keys/rotate', admin);
    expect(res.status).toBe(200);
    expect(body.retiringKids).toContain(oldKid);
    const fresh = await clientToken(ADMIN.id, ADMIN.secret);
    expect(decodeProtectedHeader(fresh).kid).toBe(body.activeKid);
    const kids = async () => (await api('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, body.activeKid]));
    await expect(verifyWithJwks(admin)).resolves.toBeDefined();

    clock.advanceSeconds(900 + 60 - 1);
    expect(await kids()).toContain(oldKid);
    clock.advanceSeconds(1);
    expect(await kids()).toEqual([body.activeKid]);
  });
});
