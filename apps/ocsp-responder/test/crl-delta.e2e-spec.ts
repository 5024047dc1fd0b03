import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService, type TestService } from '@darvazeh/testing';
import { OcspResponderEnv } from '../src/config/ocsp-responder.env.js';
import { OCSP_SERVICE, OcspResponderModule } from '../src/ocsp-responder.module.js';
import { opensslAsync, run, TestPki, type TestLeaf } from './support/test-pki.js';

/** Delta CRLs (RFC 5280 §5.2.4) with CRL_DELTA=on, read back and verified by openssl crl. */
describe('ocsp-responder: delta CRLs', () => {
  let pki: TestPki;
  let svc: TestService<OcspResponderEnv>;
  let token: string;
  const keyDir = mkdtempSync(join(tmpdir(), 'ocsp-delta-keys-'));
  const admin = (path: string, method = 'POST', json?: unknown) =>
    fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    });
  /** `openssl crl -verify -text` of a downloaded CRL. */
  const crlText = async (path: string) => {
    const file = pki.path(`dl-${Date.now()}-${Math.random().toString(36).slice(2)}.crl`);
    const res = await run('curl', ['-sS', '-o', file, '-w', '%{http_code}', `${svc.url}${path}`]);
    if (res.out !== '200') return { status: res.out, text: '' };
    return { status: res.out, text: (await opensslAsync(['crl', '-verify', '-inform', 'DER', '-in', file, '-CAfile', pki.chainPath, '-noout', '-text'])).out, file };
  };
  const serialLine = (leaf: TestLeaf) => `Serial Number: ${leaf.serialHex.toUpperCase()}`;

  beforeAll(async () => {
    pki = new TestPki();
    copyFileSync(pki.rsaResponder.keyPath, join(keyDir, 'rsa-ocsp.key'));
    copyFileSync(pki.rsa.keyPath, join(keyDir, 'rsa-ca.key'));
    svc = await startTestService({
      service: OCSP_SERVICE,
      envClass: OcspResponderEnv,
      module: (env) => OcspResponderModule.register(env),
      label: 'ocsp_delta',
      env: { OCSP_KEY_DIR: keyDir, CRL_DEBOUNCE_MS: '100', CRL_DELTA: 'on', CRL_PUBLIC_BASE_URL: 'http://crl.darvazeh.test' },
    });
    token = await svc.issuer.mintToken({ sub: 'ca-op', roles: ['ca'], ca_issuers: ['rsa-ca'] });
    const reg = await admin('/admin/issuers', 'POST', {
      alias: 'rsa-ca',
      certificatePem: pki.rsa.certPem,
      responderCertificatePem: pki.rsaResponder.certPem,
      signingKeyRef: 'rsa-ocsp.key',
      crlKeyRef: 'rsa-ca.key',
    });
    expect(reg.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
    pki?.cleanup();
  });

  it('publishes deltas against the complete CRL: deltaCRLIndicator, freshestCRL, new revocations and lifted holds (removeFromCRL)', async () => {
    const [a, b, c] = [pki.leaf(pki.rsa), pki.leaf(pki.rsa), pki.leaf(pki.rsa)];
    for (const leaf of [a, b, c]) expect((await admin('/admin/issuers/rsa-ca/certificates', 'POST', { serial: leaf.serialHex })).status).toBe(201);
    expect((await admin(`/admin/issuers/rsa-ca/certificates/${a.serialHex}/revocation`, 'POST', { reason: 'keyCompromise' })).status).toBe(200);
    expect((await admin(`/admin/issuers/rsa-ca/certificates/${c.serialHex}/hold`, 'POST', {})).status).toBeLessThan(300);
    // Let the debounced CRL of those changes come out, then publish the base by hand.
    await new Promise((r) => setTimeout(r, 500));
    const full = await admin('/crl/rsa-ca');
    expect(full.status).toBe(201);
    const baseNumber = ((await full.json()) as { crlNumber: string }).crlNumber;
    const base = await crlText('/crl/rsa-ca.crl');
    expect(base.text).toContain('verify OK');
    expect(base.text).toContain('X509v3 Freshest CRL');
    expect(base.text).toContain('URI:http://crl.darvazeh.test/crl/rsa-ca/delta.crl');
    expect(base.text).not.toContain('Delta CRL Indicator');
    expect(base.text).toContain(serialLine(a));
    expect(base.text).toContain(serialLine(c));

    expect((await admin(`/admin/issuers/rsa-ca/certificates/${b.serialHex}/revocation`, 'POST', { reason: 'superseded' })).status).toBe(200);
    expect((await admin(`/admin/issuers/rsa-ca/certificates/${c.serialHex}/hold`, 'DELETE')).status).toBeLessThan(300);
    let delta = { status: '', text: '' } as Awaited<ReturnType<typeof crlText>>;
    for (let i = 0; i < 100; i++) {
      delta = await crlText('/crl/rsa-ca/delta.crl');
      if (delta.text.includes(serialLine(b)) && delta.text.includes('Remove From CRL')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(delta.text).toContain('verify OK');
    expect(delta.text).toMatch(new RegExp(`X509v3 Delta CRL Indicator: critical\\s+${baseNumber}\\b`));
    expect(delta.text).toContain(serialLine(b));
    expect(delta.text).toContain('Superseded');
    // The lifted hold: listed in the base, removed by the delta.
    expect(delta.text).toMatch(new RegExp(`${serialLine(c)}[\\s\\S]*?Remove From CRL`));
    // Unchanged since the base: not repeated.
    expect(delta.text).not.toContain(serialLine(a));
    // The delta has the next number of the same sequence.
    const number = /X509v3 CRL Number: \s*(\d+)/.exec(delta.text)![1];
    expect(BigInt(number)).toBeGreaterThan(BigInt(baseNumber));

    // OpenSSL itself combines base and delta: b is revoked, c is good again.
    const both = pki.path('base-and-delta.pem');
    const pem = async (file: string) => (await opensslAsync(['crl', '-inform', 'DER', '-in', file])).out;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(both, (await pem(base.file!)) + (await pem(delta.file!)));
    const revokedB = await opensslAsync(['verify', '-crl_check', '-use_deltas', '-CRLfile', both, '-CAfile', pki.chainPath, b.certPath]);
    expect(revokedB.out).toContain('certificate revoked');
    const okC = await opensslAsync(['verify', '-crl_check', '-use_deltas', '-CRLfile', both, '-CAfile', pki.chainPath, c.certPath]);
    expect(okC.out).toContain(': OK');
  }, 60_000);
});
