import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { JwtVerifier } from '@darvazeh/auth';
import { TestIssuer } from './test-issuer.js';

describe('TestIssuer', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());

  const verify = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUrl)), {
      issuer: issuer.issuer,
      audience: issuer.audience,
      algorithms: ['ES256'],
    });

  it('serves its JWKS over HTTP on a loopback port', async () => {
    expect(issuer.jwksUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
    const res = await fetch(issuer.jwksUrl);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: issuer.currentKid });
    expect(body.keys[0]).not.toHaveProperty('d'); // never the private part
  });

  it('mints ES256 tokens that verify against its JWKS with the Darvazeh claims', async () => {
    const token = await issuer.mintToken({
      sub: 'agency-42',
      roles: ['agency'],
      agency_id: 'agency-42',
      scope: ['notices:send', 'gsb:call'],
    });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: issuer.currentKid });
    const { payload } = await verify(token);
    expect(payload).toMatchObject({
      sub: 'agency-42',
      roles: ['agency'],
      agency_id: 'agency-42',
      scope: 'notices:send gsb:call',
      iss: issuer.issuer,
      aud: issuer.audience,
    });
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
  });

  it('mints expired tokens on request, which verification rejects', async () => {
    const token = await issuer.mintToken({ sub: 'c1', roles: ['citizen'], expiresIn: -60 });
    await expect(verify(token)).rejects.toThrow(/exp/);
  });

  it('signs foreign tokens with a key its JWKS does not list', async () => {
    const token = await issuer.mintForeignToken({ sub: 'intruder', roles: ['admin'] });
    await expect(verify(token)).rejects.toThrow();
  });

  it('keeps the old key published after rotation so earlier tokens still verify', async () => {
    const before = await issuer.mintToken({ sub: 'op-1', roles: ['operator'], operator_code: 'MCI' });
    const oldKid = issuer.currentKid;
    const newKid = await issuer.rotateKey();
    expect(newKid).not.toBe(oldKid);
    const after = await issuer.mintToken({ sub: 'op-1', roles: ['operator'], operator_code: 'MCI' });
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    await expect(verify(before)).resolves.toBeDefined();
    await expect(verify(after)).resolves.toBeDefined();
  });

  it('is accepted by the platform verifier (libs/auth) and maps to a Principal', async () => {
    const verifier = new JwtVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience });
    const token = await issuer.mintToken({
      sub: '0012345678',
      roles: ['citizen'],
      national_code: '0012345678',
      scope: 'inbox:read',
    });
    const outcome = await verifier.verify({ headers: { authorization: `Bearer ${token}` } });
    expect(outcome).toEqual({
      ok: true,
      principal: {
        subject: '0012345678',
        roles: ['citizen'],
        agencyId: undefined,
        nationalCode: '0012345678',
        operatorCode: undefined,
        caIssuers: [],
        scope: ['inbox:read'],
      },
    });
    const foreign = await issuer.mintForeignToken({ sub: 'x', roles: ['admin'] });
    const rejected = await verifier.verify({ headers: { authorization: `Bearer ${foreign}` } });
    expect(rejected.ok).toBe(false);
  });
});
