import { generateKeyPairSync, createHash } from 'node:crypto';
import { SigningPool } from '../../signing/signing-pool.js';
import { FileKeySigner } from '../../signing/file-key.signer.js';
import { ResponseSigner } from '../../ocsp/application/response-signer.js';
import { DEFAULT_OCSP_POLICY } from '../../ocsp/application/ocsp-policy.js';
import { NoopOcspMetrics } from '../../ocsp/application/ocsp-metrics.js';
import { StatusBook } from '../../certificates/application/status-book.js';
import { certStatus, certsField, responderIdByKey } from '../../ocsp/domain/ocsp-response.js';
import { octetString, TAG, tlv, unsignedInteger } from '../../pki/der.js';
import { etagOf } from './presigned-response.cache.js';
import type { ActiveIssuer } from '../../issuers/application/issuer-directory.js';

// RSA PKCS#1 v1.5 signatures are deterministic: the worker's whole-response build must give the
// very bytes ResponseSigner.sign gives on the main thread (the per-answer path).
describe('bulk response build on a worker thread', () => {
  const pool = new SigningPool(1);
  afterAll(() => pool.close());

  it('builds byte-identical responses, CertIDs and ETags to the per-answer path, for good and revoked', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signer = new FileKeySigner(privateKey, pool);
    const issuer = {
      issuer: { id: '00000000-0000-0000-0000-000000000001', alias: 'a' },
      signer,
      responderId: responderIdByKey(createHash('sha1').update('k').digest()),
      certsField: certsField([tlv(TAG.SEQUENCE, Buffer.from([1, 2, 3]))]),
    } as unknown as ActiveIssuer;
    const rs = new ResponseSigner(new StatusBook(), { ...DEFAULT_OCSP_POLICY, archiveRetentionDays: 7 }, new NoopOcspMetrics());
    const prefix = Buffer.concat([tlv(TAG.SEQUENCE, Buffer.from([0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a]), Buffer.from([5, 0])), octetString(Buffer.alloc(20, 1)), octetString(Buffer.alloc(20, 2))]);
    const now = new Date('2026-12-07T10:00:00Z');
    const { template, nextUpdate } = rs.bulkTemplate(issuer, prefix, now);
    const revoked = { kind: 'revoked' as const, revokedAt: new Date('2026-01-02T03:04:05Z'), reason: 1 };
    const serials = ['7a01', '80ff', '0001'];
    const statuses = [null, certStatus(revoked), null];
    const built = await signer.buildResponses(template, serials, statuses);
    expect(built).not.toBeNull();
    for (let i = 0; i < serials.length; i++) {
      const certIdDer = tlv(TAG.SEQUENCE, prefix, unsignedInteger(Buffer.from(serials[i], 'hex')));
      const expected = await rs.sign(
        issuer,
        [{ certIdDer, status: i === 1 ? revoked : { kind: 'good' }, thisUpdate: now, nextUpdate, extensions: rs.singleExtensions(now) }],
        [],
        now,
        'presign',
      );
      expect(built!.certIds[i].equals(certIdDer)).toBe(true);
      expect(built!.ders[i].toString('hex')).toBe(expected.toString('hex'));
      expect(built!.etags[i]).toBe(etagOf(expected));
    }
  });
});
