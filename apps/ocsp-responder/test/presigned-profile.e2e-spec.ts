import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestService, type TestService } from '@darvazeh/testing';
import { OcspResponderEnv } from '../src/config/ocsp-responder.env.js';
import { OCSP_SERVICE, OcspResponderModule } from '../src/ocsp-responder.module.js';
import { pemToDer } from '../src/pki/certificate-info.js';
import { opensslAsync, TestPki, type TestLeaf } from './support/test-pki.js';

/**
 * Issue 17: a stored pre-signed answer is served after a restart only if everything that shaped
 * it is unchanged. Each restart changes one setting; the answer is read with openssl -resp_text.
 */
describe('ocsp-responder: stored pre-signed answers and the signing profile across restarts', () => {
  let pki: TestPki;
  let svc: TestService<OcspResponderEnv>;
  let leaf: TestLeaf;
  const keyDir = mkdtempSync(join(tmpdir(), 'ocsp-profile-keys-'));
  const env: Record<string, string> = { OCSP_KEY_DIR: keyDir, OCSP_SIGNING_WORKERS: '0' };

  const ask = async (): Promise<Buffer> => {
    const res = await fetch(`${svc.url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: readFileSync(pki.path('profile-req.der')) });
    return Buffer.from(await res.arrayBuffer());
  };
  const text = async (der: Buffer): Promise<string> => {
    const file = pki.path(`profile-resp-${Date.now()}.der`);
    writeFileSync(file, der);
    const out = await opensslAsync(['ocsp', '-respin', file, '-resp_text', '-reqin', pki.path('profile-req.der'), '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-CAfile', pki.chainPath]);
    return out.out;
  };
  /** Waits until PostgreSQL holds exactly this answer for the leaf (the store is written behind). */
  const stored = async (der: Buffer) => {
    const db = new pg.Client({ connectionString: svc.db.url });
    await db.connect();
    try {
      for (let i = 0; i < 300; i++) {
        const { rows } = await db.query<{ response: Buffer }>('select response from ocsp_responses where serial = $1', [leaf.serialHex]);
        if (rows.some((r) => r.response.equals(der))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the answer never reached ocsp_responses');
    } finally {
      await db.end();
    }
  };
  /** Serves, stores, restarts with `change` applied, and returns the answers before and after. */
  const restartWith = async (change: () => Promise<void> | void) => {
    const before = await ask();
    await stored(before);
    await change();
    await svc.restart();
    const after = await ask();
    return { before, after, text: await text(after) };
  };

  beforeAll(async () => {
    pki = new TestPki();
    copyFileSync(pki.ec.keyPath, join(keyDir, 'ec-ca.key'));
    copyFileSync(pki.ecP384Responder.keyPath, join(keyDir, 'ec-ocsp-p384.key'));
    svc = await startTestService({ service: OCSP_SERVICE, envClass: OcspResponderEnv, module: (e) => OcspResponderModule.register(e), label: 'ocsp_profile', env });
    const token = await svc.issuer.mintToken({ sub: 'ca-op', roles: ['ca'], ca_issuers: ['ec-ca'] });
    const post = (path: string, json: unknown) =>
      fetch(`${svc.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    expect((await post('/admin/issuers', { alias: 'ec-ca', certificatePem: pki.ec.certPem, signingKeyRef: 'ec-ca.key' })).status).toBe(201);
    leaf = pki.leaf(pki.ec);
    expect((await post('/admin/issuers/ec-ca/certificates', { serial: leaf.serialHex })).status).toBe(201);
    await opensslAsync(['ocsp', '-no_nonce', '-issuer', pki.ec.certPath, '-cert', leaf.certPath, '-reqout', pki.path('profile-req.der')]);
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
    pki?.cleanup();
  });

  it('serves the very same stored answer after a restart with nothing changed', async () => {
    const { before, after, text: t } = await restartWith(() => undefined);
    expect(after.equals(before)).toBe(true);
    expect(t).toContain('Response verify OK');
    expect(t).toMatch(/Responder Id: [0-9A-F]{40}/);
  });

  it('re-signs after OCSP_RESPONDER_ID changed from byKey to byName', async () => {
    const { before, after, text: t } = await restartWith(() => void (env.OCSP_RESPONDER_ID = 'byName'));
    expect(after.equals(before)).toBe(false);
    expect(t).toContain('Response verify OK');
    expect(t).toMatch(/Responder Id: .*CN ?= ?/);
  });

  it('re-signs after OCSP_VALIDITY_SECONDS changed', async () => {
    const { before, after, text: t } = await restartWith(() => void (env.OCSP_VALIDITY_SECONDS = '7200'));
    expect(after.equals(before)).toBe(false);
    const thisUpdate = Date.parse(/This Update: (.+)/.exec(t)![1]);
    const nextUpdate = Date.parse(/Next Update: (.+)/.exec(t)![1]);
    expect(nextUpdate - thisUpdate).toBe(7_200_000);
  });

  it('re-signs after OCSP_ARCHIVE_RETENTION_DAYS was set', async () => {
    const { before, after, text: t } = await restartWith(() => void (env.OCSP_ARCHIVE_RETENTION_DAYS = '30'));
    expect(before.equals(after)).toBe(false);
    expect(t).toContain('Archive Cutoff');
  });

  it('re-signs after the signer changed: another certificate and key, ECDSA P-384 with SHA-384 instead of P-256 with SHA-256', async () => {
    expect(await text(await ask())).toContain('Signature Algorithm: ecdsa-with-SHA256');
    const { before, after, text: t } = await restartWith(async () => {
      // As an operator re-keying the issuer would: a delegated responder certificate and its key.
      const db = new pg.Client({ connectionString: svc.db.url });
      await db.connect();
      await db.query(`update issuers set responder_certificate = $1, signing_key_ref = 'ec-ocsp-p384.key', crl_key_ref = 'ec-ca.key' where alias = 'ec-ca'`, [pemToDer(pki.ecP384Responder.certPem)]);
      await db.end();
    });
    expect(after.equals(before)).toBe(false);
    expect(t).toContain('Response verify OK');
    expect(t).toContain('Signature Algorithm: ecdsa-with-SHA384');
    expect(t).toContain('Archive Cutoff');
  });
});
