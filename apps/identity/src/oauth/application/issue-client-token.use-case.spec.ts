import { beforeEach, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { identityWorld, type IdentityWorld } from '../../testing/identity-world.js';
import { PRINCIPAL_DISABLED_V1, PRINCIPAL_ENABLED_V1 } from '@darvazeh/contracts';
import {
  InvalidClientError,
  InvalidScopeError,
  ServiceClientActiveError,
  ServiceClientDisabledError,
} from '../../clients/domain/client.errors.js';

describe('IssueClientTokenUseCase (client credentials)', () => {
  let w: IdentityWorld;
  beforeEach(async () => {
    w = identityWorld();
    await w.rotateKeys.execute({ mode: 'if-missing' });
  });

  async function verify(token: string) {
    const jwks = createLocalJWKSet(await w.jwks.execute());
    return jwtVerify(token, jwks, {
      issuer: 'http://identity.test',
      audience: 'darvazeh',
      algorithms: ['ES256'],
      currentDate: w.clock.now(),
    });
  }

  it('issues an ES256 agency token with the claims the platform reads', async () => {
    const { agency, credentials } = await w.registerAgency.execute({
      name: 'Tax Org',
      nationalId: '10380284790',
      parentMinistry: 'Economy',
      type: 'government_organization',
      scopes: ['notices:send'],
    });
    const issued = await w.issueToken.execute({ ...credentials });
    expect(issued.expiresIn).toBe(900);
    const { payload, protectedHeader } = await verify(issued.accessToken);
    expect(protectedHeader.alg).toBe('ES256');
    expect(protectedHeader.kid).toBe((await w.keys.findActive())?.kid);
    expect(payload).toMatchObject({
      iss: 'http://identity.test',
      aud: 'darvazeh',
      sub: credentials.clientId,
      client_id: credentials.clientId,
      roles: ['agency'],
      agency_id: agency.id,
      scope: 'notices:send',
    });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(typeof payload.jti).toBe('string');
  });

  it('gives an operator principal its operator_code claim', async () => {
    const { credentials } = await w.createPrincipal.execute({ name: 'MCI', roles: ['operator'], operatorCode: 'MCI' });
    const { payload } = await verify((await w.issueToken.execute(credentials)).accessToken);
    expect(payload).toMatchObject({ roles: ['operator'], operator_code: 'MCI' });
    expect(payload.agency_id).toBeUndefined();
  });

  it('binds a CA operator token to the issuers it acts for (ca_issuers)', async () => {
    const { credentials } = await w.createPrincipal.execute({ name: 'CA ops', roles: ['ca'], caIssuers: ['national-ca-1', 'national-ca-2'] });
    const { payload } = await verify((await w.issueToken.execute(credentials)).accessToken);
    expect(payload).toMatchObject({ roles: ['ca'], ca_issuers: ['national-ca-1', 'national-ca-2'] });
    expect(payload.operator_code).toBeUndefined();
  });

  it('answers unknown client, wrong secret and disabled principal with the same invalid_client', async () => {
    const { principal, credentials } = await w.createPrincipal.execute({ name: 'CA', roles: ['ca'], caIssuers: ['national-ca-1'] });
    await expect(w.issueToken.execute({ clientId: 'nobody', clientSecret: 'x' })).rejects.toBeInstanceOf(InvalidClientError);
    await expect(w.issueToken.execute({ ...credentials, clientSecret: 'wrong' })).rejects.toBeInstanceOf(InvalidClientError);
    await w.disablePrincipal.execute({ principalId: principal.id });
    await expect(w.issueToken.execute(credentials)).rejects.toBeInstanceOf(InvalidClientError);
  });

  it('disabling a principal publishes principal.disabled; enabling it publishes principal.enabled and tokens come again', async () => {
    const { principal, credentials } = await w.createPrincipal.execute({ name: 'MCI feed', roles: ['operator'], operatorCode: 'MCI' });
    await w.disablePrincipal.execute({ principalId: principal.id });
    await expect(w.disablePrincipal.execute({ principalId: principal.id })).rejects.toBeInstanceOf(ServiceClientDisabledError);
    await w.enablePrincipal.execute({ principalId: principal.id });
    await expect(w.enablePrincipal.execute({ principalId: principal.id })).rejects.toBeInstanceOf(ServiceClientActiveError);
    await expect(w.issueToken.execute(credentials)).resolves.toHaveProperty('accessToken');
    expect(w.outbox.events.map((e) => [e.type, e.subject, e.data])).toEqual([
      [PRINCIPAL_DISABLED_V1, principal.id, { principalId: principal.id, subject: credentials.clientId, kind: 'service_client', at: expect.any(String) }],
      [PRINCIPAL_ENABLED_V1, principal.id, { principalId: principal.id, subject: credentials.clientId, kind: 'service_client', at: expect.any(String) }],
    ]);
  });

  it('refuses a scope the client was not given', async () => {
    const { credentials } = await w.createPrincipal.execute({ name: 'Expert', roles: ['expert'], scopes: ['review'] });
    await expect(w.issueToken.execute({ ...credentials, scope: ['review', 'admin'] })).rejects.toBeInstanceOf(
      InvalidScopeError,
    );
  });

  it('a token signed before a key rotation still verifies against the JWKS after it', async () => {
    const { credentials } = await w.createPrincipal.execute({ name: 'Admin 2', roles: ['admin'] });
    const before = (await w.issueToken.execute(credentials)).accessToken;
    await w.rotateKeys.execute({ mode: 'force' });
    const after = (await w.issueToken.execute(credentials)).accessToken;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    await expect(verify(before)).resolves.toBeDefined();
    await expect(verify(after)).resolves.toBeDefined();
  });

  it('bootstrap admin is created once from config and not revived after it is disabled', async () => {
    expect(await w.bootstrapAdmin.execute({ clientId: 'root-admin', clientSecret: 'bootstrap-secret-123' })).toBe('created');
    const { payload } = await verify(
      (await w.issueToken.execute({ clientId: 'root-admin', clientSecret: 'bootstrap-secret-123' })).accessToken,
    );
    expect(payload.roles).toEqual(['admin']);
    const admin = await w.clients.findByClientId('root-admin');
    await w.disablePrincipal.execute({ principalId: admin!.id });
    expect(await w.bootstrapAdmin.execute({ clientId: 'root-admin', clientSecret: 'bootstrap-secret-123' })).toBe('exists');
    await expect(
      w.issueToken.execute({ clientId: 'root-admin', clientSecret: 'bootstrap-secret-123' }),
    ).rejects.toBeInstanceOf(InvalidClientError);
  });
});
