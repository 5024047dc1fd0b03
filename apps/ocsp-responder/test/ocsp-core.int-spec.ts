import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, OCSPRequest, OCSPResponse } from '@peculiar/asn1-ocsp';
import { CoreHarness } from './support/core-harness.js';
import { DEFAULT_OCSP_POLICY } from '../src/ocsp/application/ocsp-policy.js';
import { issued } from '../src/certificates/domain/certificate-status.js';
import { ResponderStartup } from '../src/responder-startup.js';
import { PerClientLiveSigningLimiter } from '../src/ocsp/application/live-signing-limiter.js';
import { StatusLoader } from '../src/certificates/application/status-loader.js';
import { opensslAsync, run, TestPki, type TestLeaf } from './support/test-pki.js';

/**
 * The OCSP core (parser, pre-signed cache, live signing, HTTP routes) checked by OpenSSL's own
 * client over real HTTP, before Nest and Postgres are involved.
 */
describe('OCSP responder core, checked by openssl ocsp', () => {
  let pki: TestPki;
  let core: CoreHarness;
  let good: TestLeaf;
  let revoked: TestLeaf;
  let held: TestLeaf;
  let neverIssued: TestLeaf;
  let ecGood: TestLeaf;
  let rootLeaf: TestLeaf;

  const ocsp = (args: string[]) => opensslAsync(['ocsp', '-url', `${core.url}/ocsp`, '-CAfile', pki.chainPath, ...args]);

  beforeAll(async () => {
    pki = new TestPki();
    core = new CoreHarness();
    core.addIssuer('rsa-ca', pki.rsa, pki.rsaResponder);
    core.addIssuer('ec-ca', pki.ec);
    good = pki.leaf(pki.rsa);
    revoked = pki.leaf(pki.rsa);
    held = pki.leaf(pki.rsa);
    neverIssued = pki.leaf(pki.rsa);
    ecGood = pki.leaf(pki.ec, '00ff00ff00ff00ff00ff00ff00ff00ff00ff00'); // high bit set after the 0x00: 20-octet INTEGER
    rootLeaf = pki.leaf(pki.root);
    await core.start();
    for (const leaf of [good, revoked, held]) await core.recordIssuance.execute({ issuer: 'rsa-ca', serial: leaf.serialHex, notAfter: null });
    await core.recordIssuance.execute({ issuer: 'ec-ca', serial: ecGood.serialHex, notAfter: null });
    await core.revoke.execute({ issuer: 'rsa-ca', serial: revoked.serialHex, reason: 'keyCompromise', revokedAt: new Date('2026-01-02T03:04:05Z') });
    await core.revoke.execute({ issuer: 'rsa-ca', serial: held.serialHex, reason: 'certificateHold' });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    pki?.cleanup();
  });

  it('answers good, verified against the delegated responder certificate (RSA issuer)', async () => {
    const { out } = await ocsp(['-issuer', pki.rsa.certPath, '-cert', good.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${good.certPath}: good`);
  });

  it('answers good for an ECDSA issuer signing with its own CA key, with a 20-octet serial', async () => {
    const { out } = await ocsp(['-issuer', pki.ec.certPath, '-cert', ecGood.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${ecGood.certPath}: good`);
  });

  it('answers revoked with the reason and revocation time', async () => {
    const { out } = await ocsp(['-issuer', pki.rsa.certPath, '-cert', revoked.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${revoked.certPath}: revoked`);
    expect(out).toContain('Reason: keyCompromise');
    expect(out).toMatch(/Revocation Time: Jan\s+2 03:04:05 2026 GMT/);
  });

  it('answers revoked with certificateHold for a held certificate', async () => {
    const { out } = await ocsp(['-issuer', pki.rsa.certPath, '-cert', held.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain('Reason: certificateHold');
  });

  it('answers unknown — never good — for a serial the issuer never reported', async () => {
    const { out } = await ocsp(['-issuer', pki.rsa.certPath, '-cert', neverIssued.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${neverIssued.certPath}: unknown`);
  });

  it('keeps the signed answer for a never-issued serial until it changes: same DER again, good right after issuance', async () => {
    // ECDSA signatures are randomised: an equal DER can only be the kept answer, not a re-signing.
    const leaf = pki.leaf(pki.ec);
    const reqPath = pki.path(`never-${leaf.serialHex}.req`);
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-reqout', reqPath]);
    const request = readFileSync(reqPath);
    const hits = await core.metric('ocsp_cache_lookups_total', { result: 'hit' });
    const misses = await core.metric('ocsp_cache_lookups_total', { result: 'miss' });
    const first = await core.responder.respond(request);
    const second = await core.responder.respond(request);
    expect(first.outcome).toBe('unknown');
    expect(second.der.equals(first.der)).toBe(true);
    // The kept answer is a pre-signed response served from memory: the cache metrics count it a hit.
    expect(await core.metric('ocsp_cache_lookups_total', { result: 'miss' })).toBe(misses + 1);
    expect(await core.metric('ocsp_cache_lookups_total', { result: 'hit' })).toBe(hits + 1);
    expect(await core.metric('ocsp_cache_hit_ratio')).toBeGreaterThan(0);
    await core.recordIssuance.execute({ issuer: 'ec-ca', serial: leaf.serialHex, notAfter: null });
    const third = await core.responder.respond(request);
    expect(third.outcome).toBe('good');
  });

  it('answers several certificates in one request', async () => {
    const { out } = await ocsp(['-issuer', pki.rsa.certPath, '-cert', good.certPath, '-cert', revoked.certPath, '-cert', neverIssued.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${good.certPath}: good`);
    expect(out).toContain(`${revoked.certPath}: revoked`);
    expect(out).toContain(`${neverIssued.certPath}: unknown`);
  });

  it.each(['-sha256', '-sha384', '-sha512'])('answers %s CertIDs, echoing them exactly', async (digest) => {
    const reqPath = pki.path(`certid${digest}.der`);
    await opensslAsync(['ocsp', digest, '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath, '-reqout', reqPath]);
    const res = await fetch(`${core.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: readFileSync(reqPath) });
    const respPath = pki.path(`certid${digest}-resp.der`);
    writeFileSync(respPath, Buffer.from(await res.arrayBuffer()));
    const { out } = await opensslAsync(['ocsp', '-respin', respPath, digest, '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath, '-CAfile', pki.chainPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${good.certPath}: good`);
    expect(out).not.toContain('WARNING');
    // openssl matches the answer by CertID; also check the bytes are the request's own.
    const request = AsnConvert.parse(readFileSync(reqPath), OCSPRequest);
    const basic = AsnConvert.parse(AsnConvert.parse(readFileSync(respPath), OCSPResponse).responseBytes!.response.buffer, BasicOCSPResponse);
    expect(Buffer.from(AsnConvert.serialize(basic.tbsResponseData.responses[0].certID))).toEqual(
      Buffer.from(AsnConvert.serialize(request.tbsRequest.requestList[0].reqCert)),
    );
  });

  it('echoes the nonce (openssl sends one by default) and serves -no_nonce from the pre-signed cache', async () => {
    const withNonce = await ocsp(['-issuer', pki.rsa.certPath, '-cert', good.certPath, '-resp_text']);
    expect(withNonce.out).toContain('Response verify OK');
    expect(withNonce.out).toContain('OCSP Nonce');
    expect(withNonce.out).not.toContain('WARNING: no nonce');
    expect(withNonce.out).not.toContain('Archive Cutoff'); // not announced unless configured
    const hitsBefore = core.cache.hits;
    const noNonce = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath, '-resp_text']);
    expect(noNonce.out).toContain('Response verify OK');
    expect(noNonce.out).not.toContain('OCSP Nonce');
    expect(core.cache.hits).toBe(hitsBefore + 1);
  });

  it('answers unauthorized for an issuer it does not serve', async () => {
    const { out } = await ocsp(['-issuer', pki.root.certPath, '-cert', rootLeaf.certPath]);
    expect(out).toContain('unauthorized (6)');
  });

  it('answers POST /ocsp/{alias} for that issuer, and unauthorized when the CertID belongs to another issuer', async () => {
    const right = await opensslAsync(['ocsp', '-url', `${core.url}/ocsp/rsa-ca`, '-CAfile', pki.chainPath, '-issuer', pki.rsa.certPath, '-cert', good.certPath]);
    expect(right.out).toContain('Response verify OK');
    expect(right.out).toContain(`${good.certPath}: good`);
    for (const extra of [['-no_nonce'], []]) {
      const wrong = await opensslAsync(['ocsp', '-url', `${core.url}/ocsp/ec-ca`, '-CAfile', pki.chainPath, '-issuer', pki.rsa.certPath, '-cert', good.certPath, ...extra]);
      expect(wrong.out).toContain('unauthorized (6)');
    }
  });

  it('labels answers to made-up issuer aliases "-", so request paths cannot grow the metric label set', async () => {
    const before = await core.metric('ocsp_responses_total', { outcome: 'unauthorized', issuer: '-' });
    for (const alias of ['no-such-ca-1', 'no-such-ca-2']) {
      const { out } = await opensslAsync(['ocsp', '-no_nonce', '-url', `${core.url}/ocsp/${alias}`, '-issuer', pki.rsa.certPath, '-cert', good.certPath]);
      expect(out).toContain('unauthorized (6)');
    }
    expect(await core.metric('ocsp_responses_total', { outcome: 'unauthorized', issuer: '-' })).toBe(before + 2);
    const { values } = await core.metrics.registry.getSingleMetric('ocsp_responses_total')!.get();
    expect(values.map((v) => String(v.labels.issuer))).not.toContain('no-such-ca-1');
  });

  it('answers GET /ocsp/{base64} checked by openssl -respin, with RFC 5019 caching headers and 304', async () => {
    const reqPath = pki.path('get-req.der');
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', revoked.certPath, '-reqout', reqPath]);
    const b64 = readFileSync(reqPath).toString('base64');
    for (const encoded of [b64, encodeURIComponent(b64)]) {
      const respPath = pki.path('get-resp.der');
      const curl = await run('curl', ['-sS', '-D', '-', '-o', respPath, `${core.url}/ocsp/${encoded}`]);
      expect(curl.out).toMatch(/HTTP\/1.1 200/);
      expect(curl.out).toMatch(/cache-control: max-age=\d+, public, no-transform, must-revalidate/i);
      expect(curl.out).toMatch(/etag: "/i);
      expect(curl.out).toMatch(/last-modified: /i);
      expect(curl.out).toMatch(/expires: /i);
      const { out } = await opensslAsync(['ocsp', '-respin', respPath, '-reqin', reqPath, '-issuer', pki.rsa.certPath, '-cert', revoked.certPath, '-CAfile', pki.chainPath]);
      expect(out).toContain('Response verify OK');
      expect(out).toContain(`${revoked.certPath}: revoked`);
    }
    const first = await fetch(`${core.url}/ocsp/${b64}`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${core.url}/ocsp/${b64}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const since = await fetch(`${core.url}/ocsp/${b64}`, { headers: { 'if-modified-since': new Date(Date.now() + 1000).toUTCString() } });
    expect(since.status).toBe(304);
  });

  it('survives "/", "+" and "=" in GET base64 (plain, percent-encoded, and the issuer-alias form)', async () => {
    // Find a serial whose request base64 contains all three troublesome characters (built
    // in-process), then let openssl write that request itself.
    const issuer = core.directory.get('rsa-ca')!;
    let serial = 0n;
    for (let s = 0x1234567n; s < 0x1234567n + 5000n; s++) {
      const certId = core.presigner.certIdFor(issuer, s.toString(16));
      const wrap = (tag: number, b: Buffer) => Buffer.concat([Buffer.from([tag, b.length]), b]);
      const b64 = wrap(0x30, wrap(0x30, wrap(0x30, wrap(0x30, certId)))).toString('base64');
      if (b64.includes('/') && b64.includes('+') && b64.includes('=')) {
        serial = s;
        break;
      }
    }
    expect(serial).not.toBe(0n);
    const reqPath = pki.path('slashy.der');
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.rsa.certPath, '-serial', `0x${serial.toString(16)}`, '-reqout', reqPath]);
    const b64 = readFileSync(reqPath).toString('base64');
    for (const c of ['/', '+', '=']) expect(b64).toContain(c);
    await core.recordIssuance.execute({ issuer: 'rsa-ca', serial: serial.toString(16), notAfter: null });
    const encoded = b64.replace(/\+/g, '%2B').replace(/\//g, '%2F').replace(/=/g, '%3D');
    for (const path of [`/ocsp/${b64}`, `/ocsp/rsa-ca/${b64}`, `/ocsp/${encoded}`, `/ocsp/rsa-ca/${encoded}`]) {
      const respPath = pki.path('slashy-resp.der');
      const curl = await run('curl', ['-sS', '-o', respPath, '-w', '%{http_code}', `${core.url}${path}`]);
      expect(curl.out).toBe('200');
      const { out } = await opensslAsync(['ocsp', '-respin', respPath, '-reqin', reqPath, '-issuer', pki.rsa.certPath, '-serial', `0x${serial.toString(16)}`, '-CAfile', pki.chainPath]);
      expect(out).toContain('Response verify OK');
      expect(out).toMatch(/: good/);
    }
    const parsed = AsnConvert.parse(readFileSync(pki.path('slashy-resp.der')), OCSPResponse);
    const basic = AsnConvert.parse(parsed.responseBytes!.response.buffer, BasicOCSPResponse);
    expect(basic.tbsResponseData.responses[0].certStatus.good).toBeNull();
  });

  it('answers malformedRequest for undecodable bodies and 415 for a wrong content type', async () => {
    const garbage = await fetch(`${core.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from('30ff0102', 'hex') });
    expect(garbage.status).toBe(200);
    expect(Buffer.from(await garbage.arrayBuffer()).toString('hex')).toBe('30030a0101');
    const wrongType = await fetch(`${core.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(wrongType.status).toBe(415);
    const badGet = await fetch(`${core.url}/ocsp/!!notbase64!!`);
    expect(Buffer.from(await badGet.arrayBuffer()).toString('hex')).toBe('30030a0101');
  });

  it('refuses an oversized request with 413 (POST body) or 414 (GET path), as problem+json', async () => {
    const res = await fetch(`${core.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.alloc(9000, 0x30) });
    expect(res.status).toBe(413);
    const longGet = await fetch(`${core.url}/ocsp/${'M'.repeat(12_000)}`);
    expect(longGet.status).toBe(414);
    expect(longGet.headers.get('content-type')).toContain('application/problem+json');
    expect(((await longGet.json()) as { code: string }).code).toBe('OCSP.REQUEST_INVALID');
  });

  it('answers a 20 KB GET path with 414 problem+json (not the HTTP server\'s 431), and an empty GET path with 400', async () => {
    const longGet = await fetch(`${core.url}/ocsp/${'M'.repeat(20_000)}`);
    expect(longGet.status).toBe(414);
    expect(longGet.headers.get('content-type')).toContain('application/problem+json');
    expect(await longGet.json()).toMatchObject({ type: 'urn:darvazeh:problem:OCSP.REQUEST_INVALID', status: 414, code: 'OCSP.REQUEST_INVALID' });
    for (const path of ['/ocsp/', '/ocsp', '/ocsp/rsa-ca/']) {
      const empty = await fetch(`${core.url}${path}`);
      expect([path, empty.status]).toEqual([path, 400]);
      expect(empty.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('answers Expect: 100-continue over the size limit with 413 before the body is sent', async () => {
    const { port } = new URL(core.url);
    const reply = await rawExchange(Number(port), 'POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\nContent-Length: 20000\r\nExpect: 100-continue\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).not.toContain('100 Continue');
    expect(reply).toMatch(/content-type: application\/problem\+json/i);
    expect(reply).toContain('"code":"OCSP.REQUEST_TOO_LARGE"');
    // curl waits for the interim answer and never sees a reset, every time.
    const body = pki.path('big-request.der');
    writeFileSync(body, Buffer.alloc(20_000, 0x30));
    for (let i = 0; i < 10; i++) {
      const res = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect: 100-continue', '-H', 'Content-Type: application/ocsp-request', '--data-binary', `@${body}`, `${core.url}/ocsp`]);
      expect(res.out).toBe('413');
    }
    // Within the limit, Expect: 100-continue gets 100 and then the answer.
    const reqPath = pki.path('continue-req.der');
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath, '-reqout', reqPath]);
    const ok = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect: 100-continue', '-H', 'Content-Type: application/ocsp-request', '--data-binary', `@${reqPath}`, `${core.url}/ocsp`]);
    expect(ok.out).toBe('200');
  });

  it('reads and drops an oversized body after its 413, so the answer is readable and the connection goes on', async () => {
    const { port } = new URL(core.url);
    const head = 'POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\nContent-Length: 30000\r\n\r\n';
    const next = 'GET /ocsp/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    for (let i = 0; i < 5; i++) {
      const reply = await rawExchange(Number(port), Buffer.concat([Buffer.from(head), Buffer.alloc(30_000, 0x30), Buffer.from(next)]));
      expect(reply).toMatch(/^HTTP\/1\.1 413 /);
      // The next request on the same connection is answered: nothing was reset.
      expect(reply).toMatch(/HTTP\/1\.1 400 /);
    }
  });

  it('refuses a nonce longer than 32 octets as malformedRequest', async () => {
    const reqPath = pki.path('long-nonce.der');
    await opensslAsync(['ocsp', '-issuer', pki.rsa.certPath, '-cert', good.certPath, '-reqout', reqPath]);
    // openssl's default nonce is 16 octets (04 10 …); rebuild the request with a 33-octet nonce.
    const der = readFileSync(reqPath);
    const at = der.indexOf(Buffer.from('06092b0601050507300102', 'hex'));
    expect(at).toBeGreaterThan(0);
    const longNonce = buildRequestWithNonce(der, 33);
    writeFileSync(pki.path('long.der'), longNonce);
    const res = await fetch(`${core.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: longNonce });
    expect(Buffer.from(await res.arrayBuffer()).toString('hex')).toBe('30030a0101');
    // 32 octets is the largest allowed (RFC 8954): answered, with the nonce echoed.
    writeFileSync(pki.path('nonce32.der'), buildRequestWithNonce(der, 32));
    const ok = await fetch(`${core.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: readFileSync(pki.path('nonce32.der')) });
    writeFileSync(pki.path('nonce32-resp.der'), Buffer.from(await ok.arrayBuffer()));
    // Without -cert, openssl checks the response against the -reqin request itself, nonce included.
    const { out } = await opensslAsync(['ocsp', '-respin', pki.path('nonce32-resp.der'), '-reqin', pki.path('nonce32.der'), '-CAfile', pki.chainPath, '-resp_text']);
    expect(out).toContain('Response verify OK');
    expect(out).toContain('Cert Status: good');
    expect(out).toMatch(new RegExp(`OCSP Nonce:\\s+0420${'07'.repeat(32)}\\s`));
    expect(out).not.toMatch(/WARNING|Nonce Verify error/);
  });

  it('answers the very next request after a revocation with revoked, never the cached good', async () => {
    const leaf = pki.leaf(pki.rsa);
    await core.recordIssuance.execute({ issuer: 'rsa-ca', serial: leaf.serialHex, notAfter: null });
    const before = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', leaf.certPath]);
    expect(before.out).toContain(': good');
    const revocation = core.revoke.execute({ issuer: 'rsa-ca', serial: leaf.serialHex, reason: 'superseded' });
    const after = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', leaf.certPath]);
    await revocation;
    expect(after.out).toContain('Response verify OK');
    expect(after.out).toContain(': revoked');
    expect(after.out).toContain('Reason: superseded');
    const released = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', held.certPath]);
    expect(released.out).toContain('Reason: certificateHold');
    await core.release.execute({ issuer: 'rsa-ca', serial: held.serialHex });
    const unheld = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', held.certPath]);
    expect(unheld.out).toContain(`${held.certPath}: good`);
  });

  it('re-signs the pre-signed response as part of the revocation, before any request asks', async () => {
    const leaf = pki.leaf(pki.rsa);
    await core.recordIssuance.execute({ issuer: 'rsa-ca', serial: leaf.serialHex, notAfter: null });
    const certIdKey = core.presigner.certIdFor(core.directory.get('rsa-ca')!, leaf.serialHex).toString('latin1');
    expect(core.cache.peek(certIdKey)?.status).toBe('good');
    await core.revoke.execute({ issuer: 'rsa-ca', serial: leaf.serialHex, reason: 'keyCompromise' });
    const resigned = core.cache.peek(certIdKey);
    expect(resigned?.status).toBe('revoked');
    // And that is what the next request gets, verified by openssl.
    const respPath = pki.path('resigned.der');
    writeFileSync(respPath, resigned!.der);
    const { out } = await opensslAsync(['ocsp', '-respin', respPath, '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', leaf.certPath, '-CAfile', pki.chainPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain('Reason: keyCompromise');
  });

  it('answers tryLater while the status store is unavailable — never a guessed good', async () => {
    core.book.markUnavailable();
    try {
      const { out } = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath]);
      expect(out).toMatch(/trylater \(3\)/i);
      expect(out).not.toContain(': good');
    } finally {
      core.book.load(await core.statuses.findAll());
    }
  });
});

describe('OCSP responder policies (nonce ignore, ResponderID byName, never-issued as revoked, archive cutoff), checked by openssl ocsp', () => {
  let pki: TestPki;
  let core: CoreHarness;
  let good: TestLeaf;
  let neverIssued: TestLeaf;
  let ecGood: TestLeaf;
  const ocsp = (args: string[]) => opensslAsync(['ocsp', '-url', `${core.url}/ocsp`, '-CAfile', pki.chainPath, '-resp_text', ...args]);

  beforeAll(async () => {
    pki = new TestPki();
    core = new CoreHarness({ ...DEFAULT_OCSP_POLICY, nonce: 'ignore', responderId: 'byName', nonIssued: 'revoked', archiveRetentionDays: 3650 });
    core.addIssuer('rsa-ca', pki.rsa, pki.rsaResponder);
    core.addIssuer('ec-ca', pki.ec, pki.ecP384Responder);
    good = pki.leaf(pki.rsa);
    neverIssued = pki.leaf(pki.rsa);
    ecGood = pki.leaf(pki.ec);
    await core.start();
    await core.recordIssuance.execute({ issuer: 'rsa-ca', serial: good.serialHex, notAfter: null });
    await core.recordIssuance.execute({ issuer: 'ec-ca', serial: ecGood.serialHex, notAfter: null });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    pki?.cleanup();
  });

  it('names the delegated responder byName', async () => {
    const { out } = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toMatch(/Responder Id: C = IR, O = Darvazeh Test, CN = rsa-ocsp/);
  });

  it('signs with an ECDSA P-384 delegated responder (ecdsa-with-SHA384)', async () => {
    const { out } = await ocsp(['-no_nonce', '-issuer', pki.ec.certPath, '-cert', ecGood.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${ecGood.certPath}: good`);
    expect(out).toMatch(/Responder Id: C = IR, O = Darvazeh Test, CN = ec-ocsp/);
    expect(out).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
  });

  it('under the ignore policy serves nonce requests from the pre-signed cache, without the nonce', async () => {
    const hits = core.cache.hits;
    const { out } = await ocsp(['-issuer', pki.rsa.certPath, '-cert', good.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${good.certPath}: good`);
    expect(out).toContain('WARNING: no nonce in response');
    expect(core.cache.hits).toBe(hits + 1);
  });

  it('answers a never-issued serial revoked (certificateHold, 1970-01-01, extended revoke extension) — never good', async () => {
    const { out } = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', neverIssued.certPath]);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`${neverIssued.certPath}: revoked`);
    expect(out).toContain('Reason: certificateHold');
    expect(out).toMatch(/Revocation Time: Jan\s+1 00:00:00 1970 GMT/);
    // id-pkix-ocsp-extended-revoke (1.3.6.1.5.5.7.48.1.9, NULL value) in responseExtensions; OpenSSL names that OID "valid".
    expect(out).toMatch(/Response Extensions:\s+valid:/);
  });

  it('announces the archive cutoff (producedAt − retention, RFC 6960 §4.4.4) in every single response', async () => {
    const { out } = await ocsp(['-no_nonce', '-issuer', pki.rsa.certPath, '-cert', good.certPath, '-cert', neverIssued.certPath]);
    expect(out).toContain('Response verify OK');
    const cutoffs = [...out.matchAll(/OCSP Archive Cutoff:\s*\n?\s*([A-Z][a-z]{2}\s+\d+ \d\d:\d\d:\d\d \d{4} GMT)/g)].map((m) => Date.parse(m[1]));
    expect(cutoffs).toHaveLength(2);
    const produced = Date.parse(/Produced At: (.+ GMT)/.exec(out)![1]);
    for (const cutoff of cutoffs) expect(produced - cutoff).toBe(3650 * 86_400_000);
  });
});

describe('OCSP responder start-up without its status store', () => {
  let pki: TestPki;
  let core: CoreHarness;
  let runtime: ResponderStartup;

  beforeAll(() => {
    pki = new TestPki();
  }, 60_000);

  afterAll(async () => {
    await runtime?.onModuleDestroy();
    await core?.close();
    pki?.cleanup();
  });

  it('answers tryLater while the statuses cannot be read, and the real status once they can', async () => {
    core = new CoreHarness();
    const issuer = core.addIssuer('rsa-ca', pki.rsa, pki.rsaResponder);
    const leaf = pki.leaf(pki.rsa);
    await core.statuses.save(issued(issuer.issuer.id, leaf.serialHex, null, new Date()));
    core.url = await core.app.listen({ port: 0, host: '127.0.0.1' });
    // Only what load() touches is real; the Nest-facing collaborators are inert.
    runtime = new ResponderStartup(
      new StatusLoader({ findAll: async () => [] } as never, null as never, core.directory, core.statuses, core.book),
      core.restorer,
      core.refresh,
      { load: async () => undefined, refreshDue: async () => undefined, stop: () => undefined } as never,
      core.storeWriter,
      core.pool,
      60_000,
    );
    const ask = () => opensslAsync(['ocsp', '-no_nonce', '-url', `${core.url}/ocsp`, '-CAfile', pki.chainPath, '-issuer', pki.rsa.certPath, '-cert', leaf.certPath]);
    core.statuses.failing = true;
    await runtime.load();
    const down = await ask();
    expect(down.out).toMatch(/trylater \(3\)/i);
    expect(down.out).not.toContain(': good');
    core.statuses.failing = false;
    await runtime.load();
    const up = await ask();
    expect(up.out).toContain('Response verify OK');
    expect(up.out).toContain(`${leaf.certPath}: good`);
  });
});

describe('OCSP responder under a flood: unknown-serial policy and live signing per client', () => {
  let pki: TestPki;
  let core: CoreHarness;
  let good: TestLeaf;

  beforeAll(async () => {
    pki = new TestPki();
    core = new CoreHarness({ ...DEFAULT_OCSP_POLICY, unknownSerial: 'unauthorized' }, new PerClientLiveSigningLimiter(3));
    const issuer = core.addIssuer('ec-ca', pki.ec);
    good = pki.leaf(pki.ec);
    await core.statuses.save(issued(issuer.issuer.id, good.serialHex, null, new Date()));
    await core.start();
    await core.refresh.runOnce();
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    pki?.cleanup();
  });

  /** `openssl ocsp -serial` requests for serials the issuer never reported. */
  const randomSerialRequests = async (n: number): Promise<Buffer[]> =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const out = pki.path(`flood-${i}.der`);
        await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.ec.certPath, '-serial', `0x${randomBytes(16).toString('hex')}`, '-reqout', out]);
        return readFileSync(out);
      }),
    );

  it('OCSP_UNKNOWN_SERIAL_POLICY=unauthorized: a serial never reported gets the unsigned unauthorized response (RFC 5019 §2.2.3), a known one its status', async () => {
    const stranger = pki.leaf(pki.ec);
    const refused = await opensslAsync(['ocsp', '-url', `${core.url}/ocsp`, '-CAfile', pki.chainPath, '-issuer', pki.ec.certPath, '-cert', stranger.certPath]);
    expect(refused.out).toMatch(/Responder Error: unauthorized \(6\)/);
    const known = await opensslAsync(['ocsp', '-url', `${core.url}/ocsp`, '-CAfile', pki.chainPath, '-issuer', pki.ec.certPath, '-cert', good.certPath]);
    expect(known.out).toContain('Response verify OK');
    expect(known.out).toContain(`${good.certPath}: good`);
    const signedBefore = await core.metric('ocsp_signing_seconds', { kind: 'live' });
    for (const der of await randomSerialRequests(20)) {
      const answer = await core.responder.respond(der, undefined, '198.51.100.7');
      expect(answer.outcome).toBe('unauthorized');
      expect(answer.der.toString('hex')).toBe('30030a0106');
    }
    // Not one signature for the flood.
    expect(await core.metric('ocsp_signing_seconds', { kind: 'live' })).toBe(signedBefore);
  });

  it('bounds live signing per client address: past the budget a nonce request gets the pre-signed answer, others are not slowed', async () => {
    const reqPath = pki.path('flood-nonce.der');
    await opensslAsync(['ocsp', '-issuer', pki.ec.certPath, '-cert', good.certPath, '-reqout', reqPath]);
    const withNonce = readFileSync(reqPath);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await core.responder.respond(withNonce, undefined, '198.51.100.8'));
    // The budget (3 per second) may straddle a window edge: at least 3, at most 6 signed live.
    const live = answers.filter((a) => a.cacheable === null);
    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(live.length).toBeLessThanOrEqual(6);
    for (const a of answers) expect(a.outcome).toBe('good');
    // The others are the pre-signed answer itself (no nonce echoed), never an error.
    const presigned = core.presigner.lookup(core.presigner.certIdFor(core.directory.get('ec-ca')!, good.serialHex).toString('latin1'))!;
    for (const a of answers.filter((x) => x.cacheable !== null)) expect(a.der.equals(presigned.der)).toBe(true);
    // Another client still has its own budget.
    expect((await core.responder.respond(withNonce, undefined, '198.51.100.9')).cacheable).toBeNull();
  });
});

/** Writes `data` on a fresh TCP connection and returns everything read until the server closes it (or 3 s pass). */
function rawExchange(port: number, data: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    let out = '';
    const done = () => resolve(out);
    socket.setTimeout(3_000, () => socket.destroy());
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', (err) => (out ? done() : reject(err)));
  });
}

/** Re-encodes an openssl request so its nonce extension carries `n` octets. */
function buildRequestWithNonce(der: Buffer, n: number): Buffer {
  const tlv = (tag: number, body: Buffer) => {
    const len = body.length < 128 ? Buffer.from([body.length]) : body.length < 256 ? Buffer.from([0x81, body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
    return Buffer.concat([Buffer.from([tag]), len, body]);
  };
  // OCSPRequest → tbsRequest → requestList (first SEQUENCE inside tbsRequest)
  const tbsStart = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
  const tbsLenOff = tbsStart + 1;
  const tbsBodyStart = der[tbsLenOff] & 0x80 ? tbsLenOff + 1 + (der[tbsLenOff] & 0x7f) : tbsLenOff + 1;
  const listLenOff = tbsBodyStart + 1;
  const listLen = der[listLenOff] & 0x80 ? der.readUIntBE(listLenOff + 1, der[listLenOff] & 0x7f) : der[listLenOff];
  const listEnd = (der[listLenOff] & 0x80 ? listLenOff + 1 + (der[listLenOff] & 0x7f) : listLenOff + 1) + listLen;
  const requestList = der.subarray(tbsBodyStart, listEnd);
  const nonce = tlv(0x30, Buffer.concat([Buffer.from('06092b0601050507300102', 'hex'), tlv(0x04, tlv(0x04, Buffer.alloc(n, 7)))]));
  const tbs = tlv(0x30, Buffer.concat([requestList, tlv(0xa2, tlv(0x30, nonce))]));
  return tlv(0x30, tbs);
}
