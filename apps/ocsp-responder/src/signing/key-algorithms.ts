import type { KeyObject } from 'node:crypto';
import { encodeOid, TAG, tlv } from '../pki/der.js';

export interface SignatureAlgorithm {
  oid: string;
  /** DER AlgorithmIdentifier. */
  der: Buffer;
  /** node:crypto digest name. */
  hash: 'sha256' | 'sha384';
  ecdsa: boolean;
}

const RSA_SHA256 = '1.2.840.113549.1.1.11';
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const ECDSA_SHA384 = '1.2.840.10045.4.3.3';

export class UnsupportedKeyError extends Error {}

/**
 * RSA ≥ 2048 signs with sha256WithRSAEncryption (NULL parameters, as RFC 4055 requires);
 * P-256 with ecdsa-with-SHA256 and P-384 with ecdsa-with-SHA384 (no parameters, RFC 5758).
 */
export function signatureAlgorithmFor(key: KeyObject): SignatureAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new UnsupportedKeyError('RSA keys must be at least 2048 bits');
    return { oid: RSA_SHA256, der: tlv(TAG.SEQUENCE, encodeOid(RSA_SHA256), Buffer.from([TAG.NULL, 0])), hash: 'sha256', ecdsa: false };
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1' || details.namedCurve === 'P-256')
      return { oid: ECDSA_SHA256, der: tlv(TAG.SEQUENCE, encodeOid(ECDSA_SHA256)), hash: 'sha256', ecdsa: true };
    if (details.namedCurve === 'secp384r1' || details.namedCurve === 'P-384')
      return { oid: ECDSA_SHA384, der: tlv(TAG.SEQUENCE, encodeOid(ECDSA_SHA384)), hash: 'sha384', ecdsa: true };
    throw new UnsupportedKeyError(`EC curve ${details.namedCurve} is not supported (P-256, P-384)`);
  }
  throw new UnsupportedKeyError(`key type ${key.asymmetricKeyType} is not supported (RSA, ECDSA)`);
}
