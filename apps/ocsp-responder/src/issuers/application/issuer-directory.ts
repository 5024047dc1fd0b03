import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { certificateInfo, type CertificateInfo } from '../../pki/certificate-info.js';
import { certIdLookupKeys, type Issuer, type ResponderIdMode } from '../domain/issuer.js';
import { certsField, responderIdByKey, responderIdByName } from '../../ocsp/domain/ocsp-response.js';
import type { Signer } from '../../signing/signer.js';

/** An issuer ready to answer: parsed certificates, signer, and the pre-encoded response pieces. */
export interface ActiveIssuer {
  issuer: Issuer;
  ca: CertificateInfo;
  signer: Signer;
  /** Signs CRLs: the CA key (the OCSP signer itself when it is the CA key), or null. */
  crlSigner: Signer | null;
  responderId: Buffer;
  certsField: Buffer;
  /** SHA-256 of the signing key's SubjectPublicKeyInfo (part of the signing profile). */
  signingKeyId: Buffer;
}

/**
 * In-memory view of the registered issuers, indexed by every CertID (hash algorithm, name hash,
 * key hash) they can be asked about, so the hot path resolves an issuer with one map lookup.
 */
export class IssuerDirectory {
  private readonly byAlias = new Map<string, ActiveIssuer>();
  private readonly byId = new Map<string, ActiveIssuer>();
  private readonly byCertIdKey = new Map<string, ActiveIssuer>();

  /** `signingKey`: the signer's public key (default: the signing certificate's). */
  activate(issuer: Issuer, signer: Signer, responderIdMode: ResponderIdMode, crlSigner: Signer | null = null, signingKey?: KeyObject): ActiveIssuer {
    const ca = certificateInfo(issuer.certificateDer);
    const responder = issuer.responderCertificateDer ? certificateInfo(issuer.responderCertificateDer) : ca;
    const spki = (signingKey ? (signingKey.type === 'public' ? signingKey : createPublicKey(signingKey)) : responder.node.publicKey).export({ type: 'spki', format: 'der' });
    const active: ActiveIssuer = {
      issuer,
      ca,
      signer,
      crlSigner: issuer.responderCertificateDer === null ? signer : crlSigner,
      responderId:
        responderIdMode === 'byName'
          ? responderIdByName(responder.subjectDer)
          : responderIdByKey(createHash('sha1').update(responder.publicKeyBits).digest()),
      certsField: certsField([responder.der]),
      signingKeyId: createHash('sha256').update(spki).digest(),
    };
    this.byAlias.set(issuer.alias, active);
    this.byId.set(issuer.id, active);
    for (const key of certIdLookupKeys(ca)) this.byCertIdKey.set(key, active);
    return active;
  }

  byLookupKey(key: string): ActiveIssuer | undefined {
    return this.byCertIdKey.get(key);
  }

  get(alias: string): ActiveIssuer | undefined {
    return this.byAlias.get(alias);
  }

  getById(id: string): ActiveIssuer | undefined {
    return this.byId.get(id);
  }

  all(): ActiveIssuer[] {
    return [...this.byAlias.values()];
  }
}
