import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { JwtVerifier, PrincipalDenylist } from '@darvazeh/auth';
import { TestIssuer } from './test-issuer.js';

describe('JwtVerifier: verified tokens cached until exp', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());

  const verifierWith = (denylist = new PrincipalDenylist(), size?: number) =>
    new JwtVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience, verifiedTokenCacheSize: size }, denylist);
  const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const signatureChecks = (v: JwtVerifier) => jest.spyOn(v as unknown as { verifyToken: () => Promise<unknown> }, 'verifyToken');

  it('checks the signature of a token once, then answers from the cache', async () => {
    const v = verifierWith();
    const spy = signatureChecks(v);
    const token = await issuer.mintToken({ sub: 'citizen-1', roles: ['citizen'], national_code: '0012345679' });
    expect(await v.verify(request(token))).toMatchObject({ ok: true, principal: { subject: 'citizen-1' } });
    expect(await v.verify(request(token))).toMatchObject({ ok: true, principal: { subject: 'citizen-1' } });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('still refuses a cached token once its principal is disabled', async () => {
    const denylist = new PrincipalDenylist();
    const v = verifierWith(denylist);
    const token = await issuer.mintToken({ sub: 'citizen-2', roles: ['citizen'] });
    expect(await v.verify(request(token))).toMatchObject({ ok: true });
    denylist.set('citizen-2', true);
    expect(await v.verify(request(token))).toMatchObject({ ok: false, reason: 'disabled' });
  });

  it('never caches a token that failed (a tampered one stays refused) nor an expired one', async () => {
    const v = verifierWith();
    const spy = signatureChecks(v);
    const good = await issuer.mintToken({ sub: 'citizen-3', roles: ['citizen'] });
    const tampered = `${good.slice(0, -4)}AAAA`;
    expect(await v.verify(request(tampered))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await v.verify(request(tampered))).toMatchObject({ ok: false, reason: 'invalid' });
    const expired = await issuer.mintToken({ sub: 'citizen-4', roles: ['citizen'], expiresIn: -60 });
    expect(await v.verify(request(expired))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('with size 0 verifies every time', async () => {
    const v = verifierWith(new PrincipalDenylist(), 0);
    const spy = signatureChecks(v);
    const token = await issuer.mintToken({ sub: 'citizen-5', roles: ['citizen'] });
    await v.verify(request(token));
    await v.verify(request(token));
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
