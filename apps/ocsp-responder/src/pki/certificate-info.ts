import 'reflect-metadata';
import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { X509Certificate as PeculiarX509, SubjectKeyIdentifierExtension } from '@peculiar/x509';
import { children, readTlv, TAG } from './der.js';

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspExtendedRevoke: '1.3.6.1.5.5.7.48.1.9',
  ocspArchiveCutoff: '1.3.6.1.5.5.7.48.1.6',
} as const;

/** CertID hash algorithms we answer for, by OID → node:crypto name. */
export const CERT_ID_HASHES: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

/** The pieces of a certificate the responder needs, extracted once. */
export interface CertificateInfo {
  der: Buffer;
  /** DER of the subject Name exactly as in the certificate (what CertID hashes). */
  subjectDer: Buffer;
  /** The subjectPublicKey BIT STRING value, unused-bits octet excluded (what CertID hashes). */
  publicKeyBits: Buffer;
  subjectKeyIdentifier: Buffer;
  node: NodeX509;
}

export function certificateInfo(input: Buffer | string): CertificateInfo {
  const node = new NodeX509(input);
  const der = node.raw;
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  const fields = children(der, tbs);
  const offset = fields[0].tag === 0xa0 ? 1 : 0;
  // version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const subject = fields[offset + 4];
  const spki = fields[offset + 5];
  const bits = children(der, spki)[1];
  if (bits.tag !== TAG.BIT_STRING) throw new Error('certificate has no subjectPublicKey BIT STRING');
  const publicKeyBits = Buffer.from(der.subarray(bits.contentStart + 1, bits.end));
  const ski = new PeculiarX509(der).getExtension(SubjectKeyIdentifierExtension);
  return {
    der: Buffer.from(der),
    subjectDer: Buffer.from(der.subarray(subject.start, subject.end)),
    publicKeyBits,
    // RFC 5280 §4.2.1.2 method 1 when the certificate carries no SKI.
    subjectKeyIdentifier: ski ? Buffer.from(ski.keyId, 'hex') : createHash('sha1').update(publicKeyBits).digest(),
    node,
  };
}

export function hasExtension(der: Buffer, oid: string): boolean {
  return new PeculiarX509(der).getExtension(oid) !== null;
}

export function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
