export type SigningKind = 'live' | 'bulk';

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
}
