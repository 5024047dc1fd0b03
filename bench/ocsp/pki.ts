import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateInfo } from '../../apps/ocsp-responder/src/pki/certificate-info.js';
import { OID } from '../../apps/ocsp-responder/src/pki/certificate-info.js';
import { encodeOid, octetString, TAG, tlv, unsignedInteger } from '../../apps/ocsp-responder/src/pki/der.js';
import { createHash } from 'node:crypto';

const EXT = `[v3_ca]
basicConstraints=critical,CA:true
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[v3_ocsp]
basicConstraints=critical,CA:false
keyUsage=critical,digitalSignature
extendedKeyUsage=OCSPSigning
noCheck=ignored
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
`;

const ssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

export interface BenchPki {
  dir: string;
  caCert: string;
  caKey: string;
  responderCert: string;
  responderKey: string;
  index: string;
  serials: string[];
}

/** An ECDSA P-256 CA with a delegated P-256 OCSP responder and an OpenSSL index.txt of `count` certificates. */
export function makeBenchPki(dir: string, count: number): BenchPki {
  writeFileSync(join(dir, 'ext.cnf'), EXT);
  for (const k of ['ca', 'ocsp']) ssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${k}.key`]);
  ssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/C=IR/O=Darvazeh Bench/CN=Bench CA', '-days', '365', '-config', 'ext.cnf', '-extensions', 'v3_ca', '-out', 'ca.pem']);
  ssl(dir, ['req', '-new', '-key', 'ocsp.key', '-subj', '/C=IR/O=Darvazeh Bench/CN=Bench OCSP', '-out', 'ocsp.csr']);
  ssl(dir, ['x509', '-req', '-in', 'ocsp.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x10', '-days', '365', '-extfile', 'ext.cnf', '-extensions', 'v3_ocsp', '-out', 'ocsp.pem']);
  const serials: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    // 16 random octets with the top bit clear, like a CA's random serials.
    const b = randomBytes(16);
    b[0] = (b[0] & 0x7f) | 0x10;
    const hex = b.toString('hex').toUpperCase();
    serials.push(hex.toLowerCase());
    lines.push(`V\t301231235959Z\t\t${hex}\tunknown\t/CN=leaf-${i}`);
  }
  writeFileSync(join(dir, 'index.txt'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    responderCert: join(dir, 'ocsp.pem'),
    responderKey: join(dir, 'ocsp.key'),
    index: join(dir, 'index.txt'),
    serials,
  };
}

/** SHA-1 CertID of `serial` under the CA (what `openssl ocsp -issuer … -serial …` sends). */
export function certIdFor(caPem: string, serialHex: string): Buffer {
  return tlv(TAG.SEQUENCE, issuerPartOf(caPem), unsignedInteger(Buffer.from(serialHex, 'hex')));
}

/** hashAlgorithm, issuerNameHash and issuerKeyHash of a CA, read and hashed once per file (the bench asks for tens of thousands of CertIDs). */
const issuerParts = new Map<string, Buffer>();
function issuerPartOf(caPem: string): Buffer {
  let part = issuerParts.get(caPem);
  if (!part) {
    const ca = certificateInfo(readFileSync(caPem));
    part = Buffer.concat([
      tlv(TAG.SEQUENCE, encodeOid(OID.sha1), Buffer.from([TAG.NULL, 0])),
      octetString(createHash('sha1').update(ca.subjectDer).digest()),
      octetString(createHash('sha1').update(ca.publicKeyBits).digest()),
    ]);
    issuerParts.set(caPem, part);
  }
  return part;
}

const NONCE_OID = encodeOid(OID.ocspNonce);

export function ocspRequest(certId: Buffer, nonce: boolean): Buffer {
  const list = tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, certId));
  const parts = [list];
  if (nonce) parts.push(tlv(0xa2, tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, NONCE_OID, octetString(octetString(randomBytes(16)))))));
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, ...parts));
}
