import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CRLNumber,
  CRLReason,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_invalidityDate,
  InvalidityDate,
  KeyIdentifier,
  Name,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
} from '@peculiar/asn1-x509';
import { bitString, TAG, tlv } from '../../pki/der.js';
import { REVOCATION_REASONS } from '../../certificates/domain/revocation-reason.js';

export interface CrlEntry {
  serial: string;
  revokedAt: Date;
  reason: number | null;
  invalidityDate: Date | null;
}

export interface CrlInput {
  issuerSubjectDer: Buffer;
  issuerKeyIdentifier: Buffer;
  signatureAlgorithmDer: Buffer;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: CrlEntry[];
}

/** The TBSCertList DER of an X.509 v2 CRL (RFC 5280 §5): CRL number, AKI, reason codes, invalidity dates. */
export function encodeTbsCertList(input: CrlInput): Buffer {
  const ext = (extnID: string, value: unknown) =>
    new Extension({ extnID, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: AsnConvert.parse(input.signatureAlgorithmDer, AlgorithmIdentifier),
    issuer: AsnConvert.parse(input.issuerSubjectDer, Name),
    thisUpdate: new Time(input.thisUpdate),
    nextUpdate: new Time(input.nextUpdate),
    revokedCertificates: input.entries.length
      ? input.entries.map((e) => {
          const extensions: Extension[] = [];
          // RFC 5280 §5.3.1: omit the reason code rather than say "unspecified".
          if (e.reason !== null && e.reason !== REVOCATION_REASONS.unspecified) extensions.push(ext(id_ce_cRLReasons, new CRLReason(e.reason)));
          if (e.invalidityDate) extensions.push(ext(id_ce_invalidityDate, new InvalidityDate(e.invalidityDate)));
          return new RevokedCertificate({
            userCertificate: integerContent(e.serial),
            revocationDate: new Time(e.revokedAt),
            crlEntryExtensions: extensions.length ? extensions : undefined,
          });
        })
      : undefined,
    crlExtensions: [
      ext(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(input.issuerKeyIdentifier) })),
      // CRLNumber's schema takes a JS number; numbers stay far below 2^53 (one per second for 285 million years).
      ext(id_ce_cRLNumber, new CRLNumber(Number(input.crlNumber))),
    ],
  });
  return Buffer.from(AsnConvert.serialize(tbs));
}

/** CertificateList { tbsCertList, signatureAlgorithm, signature }. */
export function assembleCrl(tbs: Buffer, signatureAlgorithmDer: Buffer, signature: Buffer): Buffer {
  return tlv(TAG.SEQUENCE, tbs, signatureAlgorithmDer, bitString(signature));
}

function integerContent(serialHex: string): ArrayBuffer {
  let bytes = Buffer.from(serialHex.length % 2 ? '0' + serialHex : serialHex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
