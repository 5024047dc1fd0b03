import { createHash, type KeyObject, createPublicKey } from 'node:crypto';
import type { FieldProblem } from '@darvazeh/core';
import { CERT_ID_HASHES, hasExtension, OID, type CertificateInfo } from '../../pki/certificate-info.js';

export type ResponderIdMode = 'byKey' | 'byName';

/** An issuer as stored: its CA certificate and how responses for it are signed. */
export interface Issuer {
  id: string;
  /** URL-safe name: /ocsp/{alias}/..., /crl/{alias}.crl */
  alias: string;
  certificateDer: Buffer;
  /** Delegated OCSP responder certificate; null when the CA key signs itself. */
  responderCertificateDer: Buffer | null;
  /** Reference to the private key of the signing identity (a file name under the key directory). */
  signingKeyRef: string;
  /** The CA key for signing CRLs when the OCSP signer is a delegated responder (else null). */
  crlKeyRef: string | null;
  createdAt: Date;
}

/** `hashAlgOid|issuerNameHash|issuerKeyHash` for every CertID hash algorithm we answer. */
export function certIdLookupKeys(ca: CertificateInfo): string[] {
  return Object.entries(CERT_ID_HASHES).map(([oid, hash]) => lookupKey(oid, digest(hash, ca.subjectDer), digest(hash, ca.publicKeyBits)));
}

export function lookupKey(hashOid: string, nameHashHex: string, keyHashHex: string): string {
  return `${hashOid}|${nameHashHex}|${keyHashHex}`;
}

function digest(hash: string, data: Buffer): string {
  return createHash(hash).update(data).digest('hex');
}

/**
 * Checks that a signing identity may sign OCSP responses for `ca` (RFC 6960 §4.2.2.2): either the
 * CA's own key, or a delegated certificate issued directly by the CA, with id-kp-OCSPSigning and
 * id-pkix-ocsp-nocheck (so clients do not try to check the responder's own status); and that
 * the private key matches the signing certificate.
 */
export function validateSigningIdentity(ca: CertificateInfo, responder: CertificateInfo | null, key: KeyObject, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!ca.node.ca) problems.push({ field: 'certificate', message: 'is not a CA certificate (basicConstraints cA=false)' });
  const signerCert = responder ?? ca;
  if (responder) {
    if (!responder.node.checkIssued(ca.node) || !responder.node.verify(ca.node.publicKey))
      problems.push({ field: 'responderCertificate', message: 'is not issued by the CA certificate' });
    const eku = responder.node.keyUsage ?? [];
    if (!eku.includes(OID.ocspSigning)) problems.push({ field: 'responderCertificate', message: 'lacks extended key usage id-kp-OCSPSigning' });
    if (!hasExtension(responder.der, OID.ocspNoCheck)) problems.push({ field: 'responderCertificate', message: 'lacks the id-pkix-ocsp-nocheck extension' });
  }
  if (new Date(signerCert.node.validTo) <= now) problems.push({ field: responder ? 'responderCertificate' : 'certificate', message: 'has expired' });
  const publicFromKey = (key.type === "public" ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  const publicFromCert = signerCert.node.publicKey.export({ type: 'spki', format: 'der' });
  if (!publicFromKey.equals(publicFromCert)) problems.push({ field: 'signingKey', message: 'does not match the public key of the signing certificate' });
  return problems;
}
