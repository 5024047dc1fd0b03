export type SigningKind = 'live' | 'bulk';

/**
 * The pre-encoded parts of a batch of single-certificate OCSPResponses of one issuer and one
 * producedAt (built with src/pki/der.ts by ResponseSigner.bulkTemplate), plus the key to sign with.
 */
export interface ResponseTemplate {
  /** AlgorithmIdentifier, issuerNameHash and issuerKeyHash: the CertID's content before the serial. */
  certIdPrefix: Buffer;
  responderId: Buffer;
  producedAt: Buffer;
  thisUpdate: Buffer;
  /** `[0] nextUpdate` (empty when none). */
  nextUpdateField: Buffer;
  /** `[1] singleExtensions` (empty when none). */
  singleExtensionsField: Buffer;
  /** `[1] responseExtensions` (empty when none). */
  responseExtensionsField: Buffer;
  algorithmIdentifier: Buffer;
  certsField: Buffer;
  basicOid: Buffer;
}

/** One signed response per serial, in order: CertID DER, OCSPResponse DER and its quoted ETag. */
export interface BuiltResponses {
  certIds: Buffer[];
  ders: Buffer[];
  etags: string[];
}


/**
 * Signs OCSP responses and CRLs for one signing identity. The default implementation holds a
 * PEM/PKCS#8 key from a file (a mounted k8s Secret); an HSM or KMS adapter can replace it
 * without the responder knowing.
 */
export abstract class Signer {
  /** DER AlgorithmIdentifier of the signatures this signer produces. */
  abstract readonly algorithmIdentifier: Buffer;
  /** OID of that algorithm (for @peculiar structures). */
  abstract readonly algorithmOid: string;
  /**
   * Returns the signature value (DER ECDSA-Sig-Value for ECDSA, PKCS#1 v1.5 for RSA). `kind`
   * says what waits for it: `live` a client, `bulk` the pre-signing of answers nobody asked for yet.
   */
  abstract sign(data: Buffer, kind?: SigningKind): Promise<Buffer>;

  /**
   * Builds and signs whole single-certificate responses where the key lives (the worker threads
   * of the file-key signer), for bulk pre-signing. null: this signer cannot (e.g. an HSM adapter
   * that only signs digests) — the caller then assembles them and calls sign() one by one.
   */
  buildResponses(_template: ResponseTemplate, _serials: string[], _statuses: (Buffer | null)[]): Promise<BuiltResponses> | null {
    return null;
  }
}
