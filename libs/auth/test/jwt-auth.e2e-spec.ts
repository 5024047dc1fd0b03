import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { AuthModule, CurrentPrincipal, PrincipalDenylist, Public, Roles, type Principal } from '@darvazeh/auth';
import { ProblemDetailsFilter } from '@darvazeh/http';

const ISSUER = 'http://identity.test';
const AUDIENCE = 'darvazeh';

interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string, alg: 'ES256' | 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

@Controller()
class ProbeController {
  @Public()
  @Get('open')
  open(@CurrentPrincipal() p?: Principal): { subject: string | null } {
    return { subject: p?.subject ?? null };
  }

  @Get('me')
  me(@CurrentPrincipal() p: Principal): Principal {
    return p;
  }

  @Roles('admin', 'expert')
  @Get('reviews')
  reviews(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('JWT authentication against a real JWKS endpoint', () => {
  const published: JWK[] = [];
  let jwksFetches = 0;
  let jwks: Server;
  let app: NestFastifyApplication;
  let base: string;
  let es: SigningKey;
  let rs: SigningKey;

  beforeAll(async () => {
    es = await newKey('es-1', 'ES256');
    rs = await newKey('rs-1', 'RS256');
    published.push(es.jwk, rs.jwk);
    jwks = createServer((req, res) => {
      jwksFetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;

    app = await NestFactory.create<NestFastifyApplication>(
      { module: class AuthProbeApp {}, imports: [AuthModule.forService({ jwksUrl, issuer: ISSUER, audience: AUDIENCE }), ProbeModule] },
      new FastifyAdapter(),
      { logger: false },
    );
    app.useGlobalFilters(new ProblemDetailsFilter({ log() {}, error() {}, warn() {} }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((r) => jwks?.close(r));
  });

  function sign(key: SigningKey, claims: Record<string, unknown> = {}, opts: { iss?: string; aud?: string; exp?: string | number } = {}) {
    return new SignJWT({ roles: ['citizen'], scope: 'devices:read devices:write', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setSubject('citizen-42')
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(key.privateKey);
  }

  async function get(path: string, token?: string) {
    const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  }

  it('accepts an ES256 token and maps its claims to the principal', async () => {
    const token = await sign(es, { roles: ['agency', 'bogus'], agency_id: 'ag-7', national_code: '0012345678', operator_code: 'MCI', ca_issuers: ['national-ca-1'] });
    const r = await get('/me', token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      subject: 'citizen-42',
      roles: ['agency'],
      agencyId: 'ag-7',
      nationalCode: '0012345678',
      operatorCode: 'MCI',
      caIssuers: ['national-ca-1'],
      scope: ['devices:read', 'devices:write'],
    });
  });

  it('accepts an RS256 token and a scope given as an array', async () => {
    const r = await get('/me', await sign(rs, { scope: ['a', 'b'] }));
    expect(r.status).toBe(200);
    expect(r.body.scope).toEqual(['a', 'b']);
  });

  it('rejects a request without a token: 401 AUTH.TOKEN_MISSING problem+json', async () => {
    const r = await get('/me');
    expect(r.status).toBe(401);
    expect(r.type).toMatch(/application\/problem\+json/);
    expect(r.body.code).toBe('AUTH.TOKEN_MISSING');
  });

  it('rejects an expired token', async () => {
    const r = await get('/me', await sign(es, {}, { exp: Math.floor(Date.now() / 1000) - 60 }));
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('AUTH.TOKEN_INVALID');
    expect(r.body.detail).toMatch(/expired/);
  });

  it('rejects a token from another issuer', async () => {
    const r = await get('/me', await sign(es, {}, { iss: 'http://evil.test' }));
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('rejects a token for another audience', async () => {
    const r = await get('/me', await sign(es, {}, { aud: 'someone-else' }));
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('rejects an unsigned token (alg none)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: 'es-1' })}.${b64({ sub: 'admin', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now + 300 })}.`;
    const r = await get('/me', token);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('rejects an HS256 token whose secret is the published public key (algorithm confusion)', async () => {
    const { createPublicKey, createHmac } = await import('node:crypto');
    const pem = createPublicKey({ key: rs.jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rs-1' })}.${b64({ sub: 'admin', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now + 300 })}`;
    const sig = createHmac('sha256', pem).update(input).digest('base64url');
    const r = await get('/reviews', `${input}.${sig}`);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('rejects a token signed by a key the issuer never published', async () => {
    const rogue = await newKey('rogue-1', 'ES256');
    const r = await get('/me', await sign(rogue));
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('rejects a token signed by a stranger reusing a published kid', async () => {
    const impostor = await newKey('es-1', 'ES256');
    const r = await get('/me', await sign(impostor));
    expect(r.status).toBe(401);
  });

  it('accepts a rotated key: a new kid in the JWKS is fetched on first sight', async () => {
    const rotated = await newKey('es-2', 'ES256');
    const token = await sign(rotated);
    published.push(rotated.jwk);
    const before = jwksFetches;
    const r = await get('/me', token);
    expect(r.status).toBe(200);
    expect(jwksFetches).toBeGreaterThan(before);
    // Cached afterwards: the next request with the same kid does not fetch again.
    const again = jwksFetches;
    expect((await get('/me', token)).status).toBe(200);
    expect(jwksFetches).toBe(again);
  });

  it('lets anyone call a @Public route, and still reads a valid token there', async () => {
    expect((await get('/open')).body).toEqual({ subject: null });
    expect((await get('/open', 'garbage')).body).toEqual({ subject: null });
    expect((await get('/open', await sign(es))).body).toEqual({ subject: 'citizen-42' });
  });

  it('enforces @Roles: 403 AUTH.FORBIDDEN without the role, 200 with it', async () => {
    const citizen = await get('/reviews', await sign(es, { roles: ['citizen'] }));
    expect(citizen.status).toBe(403);
    expect(citizen.type).toMatch(/application\/problem\+json/);
    expect(citizen.body.code).toBe('AUTH.FORBIDDEN');
    const expert = await get('/reviews', await sign(es, { roles: ['expert'] }));
    expect(expert.status).toBe(200);
  });

  it('refuses a disabled principal: 403 AUTH.PRINCIPAL_DISABLED while denied, 200 again once lifted', async () => {
    const denylist = app.get(PrincipalDenylist);
    const token = await sign(es, { roles: ['expert'] });
    expect((await get('/me', token)).status).toBe(200);
    denylist.set('citizen-42', true);
    try {
      const refused = await get('/me', token);
      expect(refused.status).toBe(403);
      expect(refused.type).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'AUTH.PRINCIPAL_DISABLED', type: 'urn:darvazeh:problem:AUTH.PRINCIPAL_DISABLED' });
      // A public route treats the disabled principal as anonymous.
      expect((await get('/open', token)).body).toEqual({ subject: null });
    } finally {
      denylist.set('citizen-42', false);
    }
    expect((await get('/me', token)).status).toBe(200);
  });
});
