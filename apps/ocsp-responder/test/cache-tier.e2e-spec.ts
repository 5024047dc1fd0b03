import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, produceWithKcat, startTestService, testKafkaBrokers, testTopic, type TestService } from '@darvazeh/testing';
import { OcspResponderEnv } from '../src/config/ocsp-responder.env.js';
import { OCSP_SERVICE, OcspResponderModule } from '../src/ocsp-responder.module.js';
import { opensslAsync, TestPki, type TestLeaf } from './support/test-pki.js';
import { startVarnish, type RunningVarnish } from '../../../bench/ocsp/varnish.js';

/**
 * The RFC 5019 cache tier (real Varnish with cache-tier/ocsp.vcl) in front of the whole service:
 * cached good answers are banned when the certificate is revoked over Kafka, errors and nonce
 * answers are never cached, POST goes to the origin.
 */
describe('ocsp-responder behind its Varnish cache tier', () => {
  let pki: TestPki;
  let svc: TestService<OcspResponderEnv>;
  let varnish: RunningVarnish;
  let leaf: TestLeaf;
  const keyDir = mkdtempSync(join(tmpdir(), 'ocsp-cache-keys-'));
  const getPaths: Record<string, string> = {};

  const viaCache = async (path: string) => {
    const res = await fetch(`${varnish.url}${path}`);
    return { status: res.status, cache: res.headers.get('x-cache'), cacheControl: res.headers.get('cache-control'), tag: res.headers.get('x-ocsp-cert'), der: Buffer.from(await res.arrayBuffer()) };
  };
  const statusText = async (der: Buffer, reqFile: string) => {
    const file = pki.path(`cache-resp-${randomUUID()}.der`);
    writeFileSync(file, der);
    return (await opensslAsync(['ocsp', '-respin', file, '-resp_text', '-reqin', reqFile, '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-CAfile', pki.chainPath])).out;
  };
  const request = async (name: string, extra: string[]) => {
    const file = pki.path(`cache-${name}.der`);
    await opensslAsync(['ocsp', ...extra, '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-reqout', file]);
    return file;
  };

  beforeAll(async () => {
    pki = new TestPki();
    copyFileSync(pki.ec.keyPath, join(keyDir, 'ec-ca.key'));
    const cachePort = await freePort();
    svc = await startTestService({
      service: OCSP_SERVICE,
      envClass: OcspResponderEnv,
      module: (env) => OcspResponderModule.register(env),
      label: 'ocsp_cache',
      env: { OCSP_KEY_DIR: keyDir, OCSP_CACHE_PURGE_URLS: `http://127.0.0.1:${cachePort}`, TRUST_PROXY: 'loopback' },
    });
    varnish = await startVarnish(Number(new URL(svc.url).port), { port: cachePort });
    const token = await svc.issuer.mintToken({ sub: 'ca-op', roles: ['ca'], ca_issuers: ['ec-ca'] });
    const post = (path: string, json: unknown) =>
      fetch(`${svc.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    expect((await post('/admin/issuers', { alias: 'ec-ca', certificatePem: pki.ec.certPem, signingKeyRef: 'ec-ca.key' })).status).toBe(201);
    leaf = pki.leaf(pki.ec);
    expect((await post('/admin/issuers/ec-ca/certificates', { serial: leaf.serialHex })).status).toBe(201);
    // Three URL forms of the same certificate: SHA-1 CertID plain and under the alias, and a SHA-256 CertID percent-encoded.
    const sha1 = readFileSync(await request('sha1', ['-no_nonce'])).toString('base64');
    const sha256 = readFileSync(await request('sha256', ['-no_nonce', '-sha256'])).toString('base64');
    getPaths.sha1 = `/ocsp/${sha1}`;
    getPaths.alias = `/ocsp/ec-ca/${sha1}`;
    getPaths.sha256 = `/ocsp/${encodeURIComponent(sha256)}`;
  }, 120_000);

  afterAll(async () => {
    await varnish?.stop();
    await svc?.close();
    pki?.cleanup();
  });

  it('caches good GET answers with the responder\'s RFC 5019 headers, strips the ban tag', async () => {
    for (const path of Object.values(getPaths)) {
      const first = await viaCache(path);
      expect(first.status).toBe(200);
      expect(first.cache).toBe('MISS');
      expect(first.cacheControl).toMatch(/max-age=\d+, public, no-transform, must-revalidate/);
      expect(first.tag).toBeNull();
      const second = await viaCache(path);
      expect(second.cache).toBe('HIT');
      expect(second.der.equals(first.der)).toBe(true);
    }
    expect(await statusText((await viaCache(getPaths.sha1)).der, pki.path('cache-sha1.der'))).toContain(`${leaf.certPath}: good`);
  });

  it('never caches errors or nonce answers, and passes POST to the origin', async () => {
    for (const path of ['/ocsp/!!notbase64!!', '/ocsp/ec-ca/', `/ocsp/${'M'.repeat(20_000)}`]) {
      await viaCache(path);
      expect((await viaCache(path)).cache).toBe('MISS');
    }
    const nonce = `/ocsp/${encodeURIComponent(readFileSync(await request('nonce', [])).toString('base64'))}`;
    const a = await viaCache(nonce);
    const b = await viaCache(nonce);
    expect([a.status, b.cache]).toEqual([200, 'MISS']);
    expect(a.cacheControl).toBe('no-store');
    const posted = await fetch(`${varnish.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: readFileSync(pki.path('cache-sha1.der')) });
    expect(posted.status).toBe(200);
    expect(posted.headers.get('x-cache')).toBe('MISS');
  });

  it('answers revoked through the cache right after a revocation over Kafka: every cached URL form is banned', async () => {
    for (const path of Object.values(getPaths)) expect((await viaCache(path)).cache).toBe('HIT');
    await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [
      {
        key: `ec-ca:${leaf.serialHex}`,
        value: { issuer: 'ec-ca', serial: leaf.serialHex, revokedAt: new Date().toISOString(), reason: 'keyCompromise' },
        headers: {
          ce_id: randomUUID(),
          ce_type: 'ir.darvazeh.pki.certificate.revoked.v1',
          ce_source: '/ca/ec-ca',
          ce_specversion: '1.0',
          ce_time: new Date().toISOString(),
          ce_subject: `ec-ca:${leaf.serialHex}`,
          'content-type': 'application/json',
        },
      },
    ]);
    // The cached good answer is valid for a day: only the ban can make the cache say revoked.
    let text = '';
    for (let i = 0; i < 150 && !text.includes('Reason: keyCompromise'); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      text = await statusText((await viaCache(getPaths.sha1)).der, pki.path('cache-sha1.der'));
    }
    expect(text).toContain('Response verify OK');
    expect(text).toContain('Cert Status: revoked');
    expect(text).toContain('Reason: keyCompromise');
    // The other forms were banned by the same tag: their next GET is already revoked.
    for (const [name, path] of Object.entries(getPaths)) {
      const reqFile = pki.path(`cache-${name === 'alias' ? 'sha1' : name}.der`);
      const answer = await viaCache(path);
      expect(await statusText(answer.der, reqFile)).toContain('Cert Status: revoked');
    }
  }, 30_000);
});
