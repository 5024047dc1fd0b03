import { bitString, ctx, encodeOid, generalizedTime, octetString, TAG, tlv } from '../../pki/der.js';
import { OID } from '../../pki/certificate-info.js';

/** OCSPResponseStatus (RFC 6960 §4.2.1). Wire values. */
export const OCSP_RESPONSE_STATUS = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;
export type OcspResponseStatusName = keyof typeof OCSP_RESPONSE_STATUS;

/** Unsigned error responses are constants: `OCSPResponse { responseStatus }` only. */
export function errorResponse(status: Exclude<OcspResponseStatusName, 'successful'>): Buffer {
  return tlv(TAG.SEQUENCE, tlv(TAG.ENUMERATED, Buffer.from([OCSP_RESPONSE_STATUS[status]])));
}

export type SingleStatus =
  | { kind: 'good' }
  | { kind: 'unknown' }
  | { kind: 'revoked'; revokedAt: Date; reason: number | null };

export interface SingleResponseInput {
  certIdDer: Buffer;
  status: SingleStatus;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** singleExtensions (each a DER Extension), e.g. the archive cutoff. */
  extensions?: Buffer[];
}

/** The CertStatus CHOICE of a SingleResponse. */
export function certStatus(status: SingleStatus): Buffer {
  switch (status.kind) {
    case 'good':
      return Buffer.from([0x80, 0x00]);
    case 'unknown':
      return Buffer.from([0x82, 0x00]);
    case 'revoked': {
      const parts = [generalizedTime(status.revokedAt)];
      if (status.reason !== null) parts.push(tlv(ctx(0), tlv(TAG.ENUMERATED, Buffer.from([status.reason]))));
      return tlv(0xa1, ...parts);
    }
  }
}

export function singleResponse(input: SingleResponseInput): Buffer {
  const parts = [input.certIdDer, certStatus(input.status), generalizedTime(input.thisUpdate)];
  if (input.nextUpdate) parts.push(tlv(ctx(0), generalizedTime(input.nextUpdate)));
  if (input.extensions?.length) parts.push(tlv(ctx(1), tlv(TAG.SEQUENCE, ...input.extensions)));
  return tlv(TAG.SEQUENCE, ...parts);
}

/** ResponderID byKey ([2] EXPLICIT KeyHash) or byName ([1] EXPLICIT Name). */
export function responderIdByKey(sha1OfPublicKey: Buffer): Buffer {
  return tlv(ctx(2), octetString(sha1OfPublicKey));
}
export function responderIdByName(subjectDer: Buffer): Buffer {
  return tlv(ctx(1), subjectDer);
}

/** Extension carried in a response to a never-issued serial answered `revoked` (RFC 6960 §4.4.8). */
export const EXTENDED_REVOKE_EXTENSION = tlv(TAG.SEQUENCE, encodeOid(OID.ocspExtendedRevoke), octetString(Buffer.from([TAG.NULL, 0])));

/**
 * Archive cutoff (RFC 6960 §4.4.4): the responder keeps status information for certificates
 * expired since `cutoff`, so a relying party can prove a signature's validity long after expiry.
 */
export function archiveCutoffExtension(cutoff: Date): Buffer {
  return tlv(TAG.SEQUENCE, encodeOid(OID.ocspArchiveCutoff), octetString(generalizedTime(cutoff)));
}

export function tbsResponseData(responderId: Buffer, producedAt: Date, singles: Buffer[], extensions: Buffer[]): Buffer {
  const parts = [responderId, generalizedTime(producedAt), tlv(TAG.SEQUENCE, ...singles)];
  if (extensions.length > 0) parts.push(tlv(ctx(1), tlv(TAG.SEQUENCE, ...extensions)));
  return tlv(TAG.SEQUENCE, ...parts);
}

export const BASIC_OID = encodeOid(OID.ocspBasic);
const SUCCESSFUL = tlv(TAG.ENUMERATED, Buffer.from([0]));

/**
 * OCSPResponse{successful, BasicOCSPResponse{tbs, sigAlg, signature, certs}}.
 * `certsField` is the pre-encoded `[0] EXPLICIT SEQUENCE OF Certificate` (cached per issuer).
 */
export function successfulResponse(tbs: Buffer, algorithmIdentifier: Buffer, signature: Buffer, certsField: Buffer): Buffer {
  const basic = tlv(TAG.SEQUENCE, tbs, algorithmIdentifier, bitString(signature), certsField);
  return tlv(TAG.SEQUENCE, SUCCESSFUL, tlv(ctx(0), tlv(TAG.SEQUENCE, BASIC_OID, octetString(basic))));
}

export function certsField(certificates: Buffer[]): Buffer {
  return tlv(ctx(0), tlv(TAG.SEQUENCE, ...certificates));
}
