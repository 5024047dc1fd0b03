import { startService, type RunningService } from '@darvazeh/http';
import { createTestDatabase, freePort, startTestService, testKafkaBrokers, testKafkaNamespace, type TestDatabase, type TestService } from '@darvazeh/testing';
import { IdentityEnv } from '../../../apps/identity/src/config/identity.env.js';
import { IdentityModule } from '../../../apps/identity/src/identity.module.js';
import { ApiGatewayEnv } from '../../../apps/api-gateway/src/config/api-gateway.env.js';
import { ApiGatewayModule, GATEWAY_SERVICE } from '../../../apps/api-gateway/src/api-gateway.module.js';

export const ADMIN = { id: 'gw-e2e-admin', secret: 'gw-e2e-bootstrap-admin-secret' };

export interface RunningIdentity {
  service: RunningService<IdentityEnv>;
  db: TestDatabase;
  url: string;
  close(): Promise<void>;
}

/** The real identity app (tokens, JWKS, agencies) on the test broker under this file's namespace. */
export async function startIdentity(): Promise<RunningIdentity> {
  const db = await createTestDatabase('gw_identity');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await startService({
    service: 'identity',
    envClass: IdentityEnv,
    envSource: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers(),
      KAFKA_NAMESPACE: testKafkaNamespace(),
      KAFKA_TOPIC_PARTITIONS: '3',
      JWKS_URL: `${url}/.well-known/jwks.json`,
      JWT_ISSUER: url,
      JWT_AUDIENCE: 'darvazeh',
      LOG_LEVEL: 'error',
      KEY_ENCRYPTION_SECRET: 'gw-e2e-key-encryption-secret-0123456789',
      BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN.id,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN.secret,
      TOKEN_RATE_LIMIT_PER_CLIENT: '1000',
      TOKEN_RATE_LIMIT_PER_IP: '10000',
      CLIENT_SECRET_SCRYPT_N: '1024',
    },
    module: (env) => IdentityModule.register(env),
  });
  return {
    service,
    db,
    url,
    close: async () => {
      await service.close();
      await db.drop();
    },
  };
}

/** The gateway trusting `issuerUrl`'s JWKS (identity's, or a TestIssuer's). */
export function startGateway(upstreams: Record<string, string>, jwt: { jwksUrl: string; issuer: string }, env: Record<string, string> = {}): Promise<TestService<ApiGatewayEnv>> {
  return startTestService({
    service: GATEWAY_SERVICE,
    envClass: ApiGatewayEnv,
    module: (e) => ApiGatewayModule.register(e),
    label: 'gateway',
    env: {
      JWKS_URL: jwt.jwksUrl,
      JWT_ISSUER: jwt.issuer,
      JWT_AUDIENCE: 'darvazeh',
      ...upstreams,
      ...env,
    },
  });
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A client-credentials token, asked through `base` (the gateway or identity itself). */
export async function clientToken(base: string, id: string, secret: string): Promise<string> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token as string;
}

/** Legal national ID with a valid check digit for a 10-digit body (test data only). */
export function legalId(body: string): string {
  const w = [29, 27, 23, 19, 17];
  const d = Number(body[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (Number(body[i]) + d) * w[i % 5];
  return body + String(sum % 11 === 10 ? 0 : sum % 11);
}

export interface RegisteredAgency {
  id: string;
  clientId: string;
  clientSecret: string;
}

export async function registerAgency(identityBase: string, adminToken: string, name: string, idBody: string): Promise<RegisteredAgency> {
  const res = await fetch(`${identityBase}/agencies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name, nationalId: legalId(idBody), parentMinistry: 'Ministry of ICT', type: 'government_organization' }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201) throw new Error(`register agency: ${res.status} ${JSON.stringify(body)}`);
  const agency = (body.agency ?? body) as Record<string, unknown>;
  const credentials = (body.credentials ?? body) as Record<string, unknown>;
  return { id: agency.id as string, clientId: (credentials.clientId ?? agency.clientId) as string, clientSecret: credentials.clientSecret as string };
}

export { startLocalUpstream, type LocalUpstream } from '../../../apps/api-gateway/test/support/local-upstream.js';
