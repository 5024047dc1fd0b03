import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestService, testKafkaBrokers, testTopic, produceWithKcat, readTopicWithKcat, type TestService } from '@darvazeh/testing';
import { OcspResponderEnv } from '../src/config/ocsp-responder.env.js';
import { OCSP_SERVICE, OcspResponderModule } from '../src/ocsp-responder.module.js';
import { opensslAsync, run, TestPki, type TestLeaf } from './support/test-pki.js';

/** The whole service: Nest + Postgres + Kafka, fed through its admin API and pki.certificates, checked by OpenSSL. */
describe('ocsp-responder service (HTTP + Postgres + Kafka, checked by OpenSSL)', () => {
  let pki: TestPki;
  let svc: TestService<OcspResponderEnv>;
  let token: string;
  let good: TestLeaf;
  let revoked: TestLeaf;
  let kafkaRevoked: TestLeaf;
  const keyDir = mkdtempSync(join(tmpdir(), 'ocsp-keys-'));

  const admin = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(`${svc.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
  const ocsp = (issuer: string, cert: string, extra: string[] = []) =>
    opensslAsync(['ocsp', '-url', `${svc.url}/ocsp`, '-CAfile', pki.chainPath, '-issuer', issuer, '-cert', cert, ...extra]);

  beforeAll(async () => {
    pki = new TestPki();
    copyFileSync(pki.rsaResponder.keyPath, join(keyDir, 'rsa-ocsp.key'));
    copyFileSync(pki.rsa.keyPath, join(keyDir, 'rsa-ca.key'));
    copyFileSync(pki.ec.keyPath, join(keyDir, 'ec-ca.key'));
    svc = await startTestService({
      service: OCSP_SERVICE,
      envClass: OcspResponderEnv,
      module: (env) => OcspResponderModule.register(env),
      label: 'ocsp_e2e',
      // The default signing (libuv pool); the core tests run the worker_threads pool.
      env: { OCSP_KEY_DIR: keyDir, CRL_DEBOUNCE_MS: '200', OCSP_SIGNING_WORKERS: '0' },
    });
    token = await svc.issuer.mintToken({ sub: 'ca-operator-1', roles: ['ca'], ca_issuers: ['bad-ca', 'rsa-ca', 'ec-ca', 'nope'] });
    good = pki.leaf(pki.rsa);
    revoked = pki.leaf(pki.rsa);
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
    pki?.cleanup();
  });

  it('refuses admin calls without a token (401) and without role ca (403)', async () => {
    const anonymous = await fetch(`${svc.url}/admin/issuers`);
    expect(anonymous.status).toBe(401);
    const citizen = await svc.issuer.mintToken({ sub: 'c1', roles: ['citizen'] });
    const forbidden = await fetch(`${svc.url}/admin/issuers`, { headers: { authorization: `Bearer ${citizen}` } });
    expect(forbidden.status).toBe(403);
  });

  it('registers issuers, refusing a responder certificate that does not match its key', async () => {
    const bad = await admin('/admin/issuers', {
      method: 'POST',
      json: { alias: 'bad-ca', certificatePem: pki.rsa.certPem, responderCertificatePem: pki.rsaResponder.certPem, signingKeyRef: 'ec-ca.key' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('OCSP.SIGNING_IDENTITY_INVALID');
    const rsa = await admin('/admin/issuers', {
      method: 'POST',
      json: { alias: 'rsa-ca', certificatePem: pki.rsa.certPem, responderCertificatePem: pki.rsaResponder.certPem, signingKeyRef: 'rsa-ocsp.key', crlKeyRef: 'rsa-ca.key' },
    });
    expect(rsa.status).toBe(201);
    expect(await rsa.json()).toMatchObject({ alias: 'rsa-ca', signedBy: 'delegated-responder', crlSigning: true });
    const ec = await admin('/admin/issuers', { method: 'POST', json: { alias: 'ec-ca', certificatePem: pki.ec.certPem, signingKeyRef: 'ec-ca.key' } });
    expect(ec.status).toBe(201);
    const dup = await admin('/admin/issuers', { method: 'POST', json: { alias: 'ec-ca', certificatePem: pki.ec.certPem, signingKeyRef: 'ec-ca.key' } });
    expect(dup.status).toBe(409);
  });

  it('lets a CA operator act only for the issuers its token names (403 OCSP.ISSUER_NOT_IN_SCOPE, nothing changes)', async () => {
    const ecOnly = await svc.issuer.mintToken({ sub: 'ec-ca-operator', roles: ['ca'], ca_issuers: ['ec-ca'] });
    const asEcOnly = (path: string, init: { method: string; json?: unknown }) =>
      fetch(`${svc.url}${path}`, {
        method: init.method,
        headers: { authorization: `Bearer ${ecOnly}`, ...(init.json ? { 'content-type': 'application/json' } : {}) },
        body: init.json ? JSON.stringify(init.json) : undefined,
      });
    const leaf = pki.leaf(pki.rsa);
    const attempts = [
      await asEcOnly('/admin/issuers/rsa-ca/certificates', { method: 'POST', json: { serial: leaf.serialHex } }),
      await asEcOnly(`/admin/issuers/rsa-ca/certificates/${leaf.serialHex}/revocation`, { method: 'POST', json: { reason: 'keyCompromise' } }),
      await asEcOnly(`/admin/issuers/rsa-ca/certificates/${leaf.serialHex}`, { method: 'GET' }),
      await asEcOnly('/crl/rsa-ca', { method: 'POST' }),
      await asEcOnly('/admin/issuers', { method: 'POST', json: { alias: 'rsa-ca-2', certificatePem: pki.rsa.certPem, signingKeyRef: 'rsa-ca.key' } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('OCSP.ISSUER_NOT_IN_SCOPE');
    }
    // Nothing was recorded for rsa-ca: its own operator finds no such certificate.
    expect((await admin(`/admin/issuers/rsa-ca/certificates/${leaf.serialHex}`, { method: 'GET' })).status).toBe(404);
    // The same token works for its own issuer.
    expect((await asEcOnly(`/admin/issuers/ec-ca/certificates`, { method: 'POST', json: { serial: pki.leaf(pki.ec).serialHex } })).status).toBe(201);
  });

  it('takes statuses over the admin API and answers them to openssl ocsp', async () => {
    expect((await admin('/admin/issuers/rsa-ca/certificates', { method: 'POST', json: { serial: good.serialHex } })).status).toBe(201);
    expect((await admin('/admin/issuers/rsa-ca/certificates', { method: 'POST', json: { serial: revoked.serialHex } })).status).toBe(201);
    const rev = await admin(`/admin/issuers/rsa-ca/certificates/${revoked.serialHex}/revocation`, {
      method: 'POST',
      json: { reason: 'keyCompromise', invalidityDate: '2026-01-01T00:00:00Z' },
    });
    expect(rev.status).toBe(200);
    expect(await rev.json()).toMatchObject({ state: 'revoked', reason: 'keyCompromise' });
    const g = await ocsp(pki.rsa.certPath, good.certPath);
    expect(g.out).toContain('Response verify OK');
    expect(g.out).toContain(`${good.certPath}: good`);
    const r = await ocsp(pki.rsa.certPath, revoked.certPath, ['-no_nonce']);
    expect(r.out).toContain('Response verify OK');
    expect(r.out).toContain('Reason: keyCompromise');
    const badSerial = await admin('/admin/issuers/rsa-ca/certificates', { method: 'POST', json: { serial: 'xyz' } });
    expect(badSerial.status).toBe(400);
    const unknownIssuer = await admin('/admin/issuers/nope/certificates', { method: 'POST', json: { serial: 'abcd' } });
    expect(unknownIssuer.status).toBe(404);
  });

  it('imports a CSV in bulk, and rejects a CSV with a bad row without writing anything', async () => {
    const leaves = [pki.leaf(pki.ec), pki.leaf(pki.ec)];
    const badCsv = `serial,action,notAfter,revokedAt,reason\n${leaves[0].serialHex},issued,,,\nzz-not-hex,revoked,,,keyCompromise\n`;
    const bad = await admin('/admin/issuers/ec-ca/certificates/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: badCsv });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    expect(problem.errors[0].field).toContain('line 3');
    expect((await admin(`/admin/issuers/ec-ca/certificates/${leaves[0].serialHex}`)).status).toBe(404);
    const csv = `serial,action,notAfter,revokedAt,reason\n${leaves[0].serialHex},issued,2030-01-01T00:00:00Z,,\n${leaves[1].serialHex},revoked,,2026-02-03T04:05:06Z,cessationOfOperation\n`;
    const ok = await admin('/admin/issuers/ec-ca/certificates/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ rows: 2, changed: 2 });
    const out = await ocsp(pki.ec.certPath, leaves[0].certPath, ['-cert', leaves[1].certPath]);
    expect(out.out).toContain('Response verify OK');
    expect(out.out).toContain(`${leaves[0].certPath}: good`);
    expect(out.out).toContain('Reason: cessationOfOperation');
    // A second file works on the records the first one wrote: a revocation of an existing
    // certificate changes it, a repeated revocation changes nothing, a conflicting one is refused.
    const again = `serial,action,revokedAt,reason\n${leaves[0].serialHex},revoked,2026-03-01T00:00:00Z,keyCompromise\n${leaves[1].serialHex},revoked,,cessationOfOperation\n`;
    const second = await admin('/admin/issuers/ec-ca/certificates/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: again });
    expect(await second.json()).toEqual({ rows: 2, changed: 1 });
    const record = (await (await admin(`/admin/issuers/ec-ca/certificates/${leaves[0].serialHex}`)).json()) as Record<string, unknown>;
    expect(record).toMatchObject({ state: 'revoked', reason: 'keyCompromise', notAfter: '2030-01-01T00:00:00.000Z', revokedAt: '2026-03-01T00:00:00.000Z' });
    const conflicting = `serial,action,reason\n${leaves[1].serialHex},revoked,keyCompromise\n`;
    const refused = await admin('/admin/issuers/ec-ca/certificates/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: conflicting });
    expect(refused.status).toBe(400);
    const after = await ocsp(pki.ec.certPath, leaves[0].certPath, ['-cert', leaves[1].certPath]);
    expect(after.out).toContain('Reason: keyCompromise');
    expect(after.out).toContain('Reason: cessationOfOperation');
  });

  it('imports a CSV larger than one COPY threshold in one transaction: all rows or none, existing records updated', async () => {
    const leaf = pki.leaf(pki.ec);
    await admin('/admin/issuers/ec-ca/certificates', { method: 'POST', json: { serial: leaf.serialHex } });
    // 25,000 rows: past the repository's COPY threshold (20,000), so the staging-table path runs.
    const serials = Array.from({ length: 25_000 }, (_, i) => `6e${i.toString(16).padStart(8, '0')}`);
    const rows = serials.map((s) => `${s},issued,2031-01-01T00:00:00Z,,\n`).join('');
    const header = 'serial,action,notAfter,revokedAt,reason\n';
    const revokeLeaf = `${leaf.serialHex},revoked,,2026-04-01T00:00:00Z,superseded\n`;
    const bad = await admin('/admin/issuers/ec-ca/certificates/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: header + rows + revokeLeaf + 'nothex,issued,,,\n' });
    expect(bad.status).toBe(400);
    expect((await admin(`/admin/issuers/ec-ca/certificates/${serials[0]}`)).status).toBe(404);
    const ok = await admin('/admin/issuers/ec-ca/certificates/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: header + rows + revokeLeaf });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ rows: 25_001, changed: 25_001 });
    for (const serial of [serials[0], serials[24_999]]) {
      expect(await (await admin(`/admin/issuers/ec-ca/certificates/${serial}`)).json()).toMatchObject({ state: 'good', notAfter: '2031-01-01T00:00:00.000Z' });
    }
    expect(await (await admin(`/admin/issuers/ec-ca/certificates/${leaf.serialHex}`)).json()).toMatchObject({ state: 'revoked', reason: 'superseded' });
    expect((await ocsp(pki.ec.certPath, leaf.certPath)).out).toContain('Reason: superseded');
    // 25,001 changes: re-signed by the bulk pipeline in the background (the call returned once
    // committed). Its answers land in ocsp_responses, built from the current status records.
    const db = new pg.Client({ connectionString: svc.db.url });
    await db.connect();
    try {
      const current = async () =>
        Number(
          (
            await db.query(
              `select count(*) as n from certificate_statuses s join ocsp_responses r on r.issuer_id = s.issuer_id and r.serial = s.serial and r.status_version = s.updated_at
                where s.serial = any($1::varchar[])`,
              [[...serials, leaf.serialHex]],
            )
          ).rows[0].n,
        );
      const until = Date.now() + 60_000;
      while ((await current()) < 25_001 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(await current()).toBe(25_001);
      const stored = await db.query(`select status, response from ocsp_responses where serial = $1 and status_version = (select updated_at from certificate_statuses where serial = $1)`, [leaf.serialHex]);
      expect(stored.rows[0].status).toBe('revoked');
      const respPath = pki.path(`bulk-${leaf.serialHex}.der`);
      writeFileSync(respPath, stored.rows[0].response as Buffer);
      const { out: text } = await opensslAsync(['ocsp', '-respin', respPath, '-resp_text', '-noverify']);
      expect(text).toContain('Cert Status: revoked');
      expect(text).toContain('Reason: superseded');
    } finally {
      await db.end();
    }
  }, 120_000);

  it('answers revoked after a revocation event on pki.certificates (produced by kcat), signed with its reason', async () => {
    const leaf = pki.leaf(pki.rsa);
    kafkaRevoked = leaf;
    await admin('/admin/issuers/rsa-ca/certificates', { method: 'POST', json: { serial: leaf.serialHex } });
    expect((await ocsp(pki.rsa.certPath, leaf.certPath, ['-no_nonce'])).out).toContain(': good');
    const reqPath = pki.path(`kafka-${leaf.serialHex}.der`);
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', leaf.certPath, '-reqout', reqPath]);
    const body = readFileSync(reqPath);
    const event = {
      key: `rsa-ca:${leaf.serialHex}`,
      value: { issuer: 'rsa-ca', serial: leaf.serialHex, revokedAt: new Date().toISOString(), reason: 'keyCompromise' },
      headers: {
        ce_id: randomUUID(),
        ce_type: 'ir.darvazeh.pki.certificate.revoked.v1',
        ce_source: '/ca/rsa-ca',
        ce_specversion: '1.0',
        ce_time: new Date().toISOString(),
        ce_subject: `rsa-ca:${leaf.serialHex}`,
        'content-type': 'application/json',
      },
    };
    await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [event]);
    // How fast is bench:ocsp's business (revocation → revoked p99, README); a test asserts the
    // behaviour only, so a busy CI machine cannot fail it.
    let answer = 'none';
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${svc.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });
      const der = Buffer.from(await res.arrayBuffer());
      answer = certStatusOf(der);
      if (answer === 'revoked') {
        writeFileSync(pki.path('kafka-resp.der'), der);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(answer).toBe('revoked');
    const check = await opensslAsync(['ocsp', '-respin', pki.path('kafka-resp.der'), '-reqin', reqPath, '-issuer', pki.rsa.certPath, '-cert', leaf.certPath, '-CAfile', pki.chainPath]);
    expect(check.out).toContain('Response verify OK');
    expect(check.out).toContain('Reason: keyCompromise');
    // Redelivery of the same event id is a no-op (idempotent consumer).
    await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [event]);
  }, 20_000);

  it('leaves the in-memory status and response cache unchanged when the consumer batch that revoked a certificate fails to commit', async () => {
    const leaf = pki.leaf(pki.rsa);
    await admin('/admin/issuers/rsa-ca/certificates', { method: 'POST', json: { serial: leaf.serialHex } });
    const reqPath = pki.path(`rollback-${leaf.serialHex}.der`);
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.rsa.certPath, '-cert', leaf.certPath, '-reqout', reqPath]);
    const ask = async () =>
      certStatusOf(Buffer.from(await (await fetch(`${svc.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: readFileSync(reqPath) })).arrayBuffer()));
    expect(await ask()).toBe('good');
    // Every transaction that writes this certificate's status fails at COMMIT (a deferred
    // constraint trigger): the consumer's batch runs the revocation use case to its end, then
    // rolls back, and so does every redelivery, until the event is dead-lettered.
    const db = new pg.Client({ connectionString: svc.db.url });
    await db.connect();
    try {
      await db.query(`create function refuse_commit() returns trigger language plpgsql as $$
        begin raise exception 'commit refused for %', new.serial; end $$`);
      await db.query(`create constraint trigger refuse_commit after update on certificate_statuses deferrable initially deferred
        for each row when (new.serial = '${leaf.serialHex}') execute function refuse_commit()`);
      const id = randomUUID();
      await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [
        {
          key: `rsa-ca:${leaf.serialHex}`,
          value: { issuer: 'rsa-ca', serial: leaf.serialHex, revokedAt: new Date().toISOString(), reason: 'keyCompromise' },
          headers: {
            ce_id: id,
            ce_type: 'ir.darvazeh.pki.certificate.revoked.v1',
            ce_source: '/ca/rsa-ca',
            ce_specversion: '1.0',
            ce_time: new Date().toISOString(),
            ce_subject: `rsa-ca:${leaf.serialHex}`,
            'content-type': 'application/json',
          },
        },
      ]);
      let deadLettered: Record<string, string> | undefined;
      for (let i = 0; i < 60 && !deadLettered; i++) {
        if (i) await new Promise((r) => setTimeout(r, 250));
        const dlt = await readTopicWithKcat(testKafkaBrokers(), testTopic('pki.certificates.dlt'), { timeoutMs: 2_000 }).catch(() => []);
        deadLettered = dlt.find((e) => e.headers.ce_id === id)?.headers;
      }
      // Handled to the end and refused at COMMIT on every attempt (not rejected before the handler ran).
      expect(deadLettered?.['dlt-reason']).toBe('retries-exhausted');
      // The revocation never committed: PostgreSQL, the status book and the pre-signed answer all still say good.
      const { rows } = await db.query<{ state: string }>('select state from certificate_statuses where serial = $1', [leaf.serialHex]);
      expect(rows[0].state).toBe('good');
      expect(await ask()).toBe('good');
      const record = (await (await admin(`/admin/issuers/rsa-ca/certificates/${leaf.serialHex}`)).json()) as { state: string };
      expect(record.state).toBe('good');
    } finally {
      await db.query('drop trigger if exists refuse_commit on certificate_statuses; drop function if exists refuse_commit()').catch(() => undefined);
      await db.end();
    }
  }, 40_000);

  it('takes issued, held and released events from pki.certificates (kcat) and answers them over OCSP', async () => {
    const leaf = pki.leaf(pki.ec);
    const reqPath = pki.path(`kafka-hold-${leaf.serialHex}.der`);
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-reqout', reqPath]);
    const body = readFileSync(reqPath);
    const event = (type: string, value: Record<string, string>) => ({
      key: `ec-ca:${leaf.serialHex}`,
      value: { issuer: 'ec-ca', serial: leaf.serialHex, ...value },
      headers: {
        ce_id: randomUUID(),
        ce_type: `ir.darvazeh.pki.certificate.${type}.v1`,
        ce_source: '/ca/ec-ca',
        ce_specversion: '1.0',
        ce_time: new Date().toISOString(),
        ce_subject: `ec-ca:${leaf.serialHex}`,
        'content-type': 'application/json',
      },
    });
    /** Polls until the answer is `want` (a functional wait for the consumer, bounded by the test timeout). */
    const until = async (want: string) => {
      let got = '';
      for (let i = 0; i < 200 && got !== want; i++) {
        if (i) await new Promise((r) => setTimeout(r, 25));
        const res = await fetch(`${svc.url}/ocsp/ec-ca`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });
        got = certStatusOf(Buffer.from(await res.arrayBuffer()));
      }
      return got;
    };
    expect(await until('unknown')).toBe('unknown');
    await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [event('issued', { notAfter: '2030-01-01T00:00:00Z' })]);
    expect(await until('good')).toBe('good');
    await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [event('held', { heldAt: new Date().toISOString() })]);
    expect(await until('revoked')).toBe('revoked');
    const held = await ocsp(pki.ec.certPath, leaf.certPath, ['-no_nonce']);
    expect(held.out).toContain('Response verify OK');
    expect(held.out).toContain('Reason: certificateHold');
    await produceWithKcat(testKafkaBrokers(), testTopic('pki.certificates'), [event('released', { releasedAt: new Date().toISOString() })]);
    expect(await until('good')).toBe('good');
    const released = await ocsp(pki.ec.certPath, leaf.certPath);
    expect(released.out).toContain('Response verify OK');
    expect(released.out).toContain(`${leaf.certPath}: good`);
  }, 20_000);

  it('publishes a CRL that openssl crl -verify and openssl verify -crl_check accept, with the revoked leaf flagged', async () => {
    // The Kafka revocation above regenerates the CRL by itself (debounced): wait for it to list that serial.
    const autoPath = pki.path('rsa-auto.crl');
    let autoText = '';
    for (let i = 0; i < 100 && !autoText.includes(`Serial Number: ${kafkaRevoked.serialHex.toUpperCase()}`); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      const res = await run('curl', ['-sS', '-o', autoPath, '-w', '%{http_code}', `${svc.url}/crl/rsa-ca.crl`]);
      if (res.out === '200') autoText = (await opensslAsync(['crl', '-verify', '-inform', 'DER', '-in', autoPath, '-CAfile', pki.chainPath, '-noout', '-text'])).out;
    }
    expect(autoText).toContain('verify OK');
    expect(autoText).toContain(`Serial Number: ${kafkaRevoked.serialHex.toUpperCase()}`);

    const previous = await admin('/crl/rsa-ca', { method: 'POST' });
    expect(previous.status).toBe(201);
    const previousNumber = ((await previous.json()) as { crlNumber: string }).crlNumber;
    const published = await admin('/crl/rsa-ca', { method: 'POST' });
    expect(published.status).toBe(201);
    const { crlNumber } = (await published.json()) as { crlNumber: string };
    expect(BigInt(crlNumber)).toBe(BigInt(previousNumber) + 1n);
    // The previous CRL stays downloadable by its number, unchanged.
    const oldPath = pki.path('rsa-previous.crl');
    expect((await run('curl', ['-sS', '-o', oldPath, '-w', '%{http_code}', `${svc.url}/crl/rsa-ca/${previousNumber}.crl`])).out).toBe('200');
    const oldText = await opensslAsync(['crl', '-verify', '-inform', 'DER', '-in', oldPath, '-CAfile', pki.chainPath, '-noout', '-crlnumber']);
    expect(oldText.out).toContain('verify OK');
    expect(oldText.out).toMatch(new RegExp(`crlNumber=0x0*${BigInt(previousNumber).toString(16)}\\b`, 'i'));
    const missing = await fetch(`${svc.url}/crl/rsa-ca/999999.crl`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const derPath = pki.path('rsa.crl');
    const pemPath = pki.path('rsa.crl.pem');
    const head = await run('curl', ['-sS', '-D', '-', '-o', derPath, `${svc.url}/crl/rsa-ca.crl`]);
    expect(head.out).toMatch(/content-type: application\/pkix-crl/i);
    expect(head.out).toMatch(/cache-control: max-age=\d+, public/i);
    await run('curl', ['-sS', '-o', pemPath, `${svc.url}/crl/rsa-ca.pem`]);
    const verify = await opensslAsync(['crl', '-verify', '-inform', 'DER', '-in', derPath, '-CAfile', pki.chainPath, '-noout', '-text']);
    expect(verify.out).toContain('verify OK');
    expect(verify.out).toContain(`X509v3 CRL Number: \n                ${crlNumber}`);
    expect(verify.out).toContain('Key Compromise');
    expect(verify.out).toContain('Invalidity Date');
    expect(verify.out).toContain('X509v3 Authority Key Identifier');
    const pemVerify = await opensslAsync(['crl', '-verify', '-in', pemPath, '-CAfile', pki.chainPath, '-noout']);
    expect(pemVerify.out).toContain('verify OK');
    const chainCrl = pki.path('crl-chain.pem');
    const rootCrlConf = await rootCrl(pki);
    writeFileSync(chainCrl, readFileSync(pemPath, 'utf8') + rootCrlConf);
    const okLeaf = await opensslAsync(['verify', '-crl_check_all', '-CRLfile', chainCrl, '-CAfile', pki.chainPath, good.certPath]);
    expect(okLeaf.out).toContain(': OK');
    const badLeaf = await opensslAsync(['verify', '-crl_check', '-CRLfile', pemPath, '-CAfile', pki.chainPath, revoked.certPath]);
    expect(badLeaf.out).toContain('certificate revoked');
    const numbered = await fetch(`${svc.url}/crl/rsa-ca/${crlNumber}.crl`);
    expect(numbered.status).toBe(200);
    const etag = numbered.headers.get('etag');
    expect(etag).toBeNull();
    const current = await fetch(`${svc.url}/crl/rsa-ca.crl`);
    const again = await fetch(`${svc.url}/crl/rsa-ca.crl`, { headers: { 'if-none-match': current.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // pki.crls is shared with earlier runs: look for this CRL's own event (the outbox relays it).
    let seen = false;
    for (let i = 0; i < 25 && !seen; i++) {
      const events = await readTopicWithKcat(testKafkaBrokers(), testTopic('pki.crls'));
      seen = events.some((e) => {
        const p = e.payload as { issuer?: string; crlNumber?: string; thisUpdate?: string };
        return p.issuer === 'rsa-ca' && p.crlNumber === crlNumber && e.headers.ce_type === 'ir.darvazeh.pki.crl.published.v1';
      });
      if (!seen) await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen).toBe(true);
  }, 30_000);

  it('answers CRL paths it cannot serve with a problem+json naming what is wrong', async () => {
    const problem = async (path: string) => {
      const r = await fetch(`${svc.url}${path}`);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      return { status: r.status, code: ((await r.json()) as { code: string }).code };
    };
    expect(await problem('/crl/rsa-ca/999999.crl')).toEqual({ status: 404, code: 'OCSP.CRL_NOT_FOUND' });
    expect(await problem('/crl/rsa-ca/latest.crl')).toEqual({ status: 400, code: 'OCSP.CRL_PATH_INVALID' });
    expect(await problem('/crl/rsa-ca.der')).toEqual({ status: 400, code: 'OCSP.CRL_PATH_INVALID' });
    expect(await problem('/crl/no-such-ca/1.crl')).toEqual({ status: 404, code: 'OCSP.ISSUER_UNKNOWN' });
    expect(await problem('/crl/no-such-ca.crl')).toEqual({ status: 404, code: 'OCSP.ISSUER_UNKNOWN' });
  });

  it('documents every admin and CRL operation in OpenAPI with its own summary (issue 16)', async () => {
    const doc = (await (await fetch(`${svc.url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary?: string }>> };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/admin/') || path.startsWith('/crl/'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, summary: op.summary ?? '' })));
    expect(operations.length).toBe(11);
    for (const op of operations) expect({ at: op.at, long: op.summary.length > 20 }).toEqual({ at: op.at, long: true });
    expect(operations.find((o) => o.at === 'POST /admin/issuers/{alias}/certificates/bulk')?.summary).toContain('CSV');
  });

  it('exposes OCSP metrics', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/ocsp_responses_total\{(?=[^}]*outcome="good")(?=[^}]*issuer="rsa-ca")[^}]*\} [1-9]/);
    expect(text).toMatch(/ocsp_responses_total\{(?=[^}]*outcome="revoked")(?=[^}]*issuer="rsa-ca")[^}]*\} [1-9]/);
    expect(text).toContain('ocsp_signing_seconds_bucket');
    expect(text).toContain('ocsp_cache_hit_ratio');
    expect(text).toContain('ocsp_presigned_oldest_age_seconds');
  });

  it('keeps its pre-signed responses in PostgreSQL: after a restart it serves the very same signed bytes', async () => {
    const leaf = pki.leaf(pki.ec);
    expect((await admin('/admin/issuers/ec-ca/certificates', { method: 'POST', json: { serial: leaf.serialHex } })).status).toBe(201);
    const reqPath = pki.path('restart-req.der');
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-reqout', reqPath]);
    const ask = async () =>
      Buffer.from(await (await fetch(`${svc.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: readFileSync(reqPath) })).arrayBuffer());
    const before = await ask();
    expect(certStatusOf(before)).toBe('good');
    // The durable copy is written behind the cache, in batches: wait until this response is in.
    const db = new pg.Client({ connectionString: svc.db.url });
    await db.connect();
    try {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const { rows } = await db.query<{ response: Buffer }>('select response from ocsp_responses where serial = $1', [leaf.serialHex]);
        if (rows.some((r) => r.response.equals(before))) break;
        if (Date.now() > deadline) throw new Error('the pre-signed response never reached ocsp_responses');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await db.end();
    }
    await svc.restart();
    // ECDSA signatures are randomised: the same bytes mean restored from PostgreSQL, not signed again.
    expect((await ask()).equals(before)).toBe(true);
    const check = await ocsp(pki.ec.certPath, leaf.certPath, ['-no_nonce']);
    expect(check.out).toContain('Response verify OK');
    expect(check.out).toContain(`${leaf.certPath}: good`);
    // The write-behind queue may still hold the 25,000 answers of the bulk import ahead of this one.
  }, 60_000);
});

/** openssl verify -crl_check_all needs a CRL for the root too: sign an empty one with openssl itself. */
async function rootCrl(pki: TestPki): Promise<string> {
  const dir = pki.path('rootca');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'ca.cnf'), `[ca]\ndefault_ca=d\n[d]\ndatabase=${dir}/index.txt\ncrlnumber=${dir}/crlnumber\ndefault_md=sha256\ndefault_crl_days=1\n`);
  await opensslAsync(['ca', '-gencrl', '-config', join(dir, 'ca.cnf'), '-keyfile', pki.root.keyPath, '-cert', pki.root.certPath, '-out', join(dir, 'root.crl.pem')]);
  return readFileSync(join(dir, 'root.crl.pem'), 'utf8');
}

/** good / revoked / unknown of a one-CertID response, or the OCSPResponseStatus when it is not successful. */
function certStatusOf(der: Buffer): string {
  const response = AsnConvert.parse(der, OCSPResponse);
  if (response.responseStatus !== OCSPResponseStatus.successful) return OCSPResponseStatus[response.responseStatus];
  const basic = AsnConvert.parse(response.responseBytes!.response.buffer, BasicOCSPResponse);
  const status = basic.tbsResponseData.responses[0].certStatus;
  return status.good !== undefined ? 'good' : status.revoked ? 'revoked' : 'unknown';
}
