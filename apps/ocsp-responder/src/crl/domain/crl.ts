import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  BaseCRLNumber,
  CertificateList,
  DistributionPoint,
  DistributionPointName,
  FreshestCRL,
  GeneralName,
  id_ce_deltaCRLIndicator,
  id_ce_freshestCRL,
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
  /** A delta CRL (RFC 5280 §5.2.4): the number of the complete CRL it updates (deltaCRLIndicator, critical). */
  deltaOf?: bigint;
  /** A complete CRL: where its delta CRLs are published (freshestCRL, §5.2.6). */
  freshestCrlUrl?: string;
}

/** The TBSCertList DER of an X.509 v2 CRL (RFC 5280 §5): CRL number, AKI, reason codes, invalidity dates. */
export function encodeTbsCertList(input: CrlInput): Buffer {
  const ext = (extnID: string, value: unknown, critical = false) =>
    new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
  const crlExtensions = [
    ext(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(input.issuerKeyIdentifier) })),
    // CRLNumber's schema takes a JS number; numbers stay far below 2^53 (one per second for 285 million years).
    ext(id_ce_cRLNumber, new CRLNumber(Number(input.crlNumber))),
  ];
  if (input.deltaOf !== undefined) crlExtensions.push(ext(id_ce_deltaCRLIndicator, new BaseCRLNumber(Number(input.deltaOf)), true));
  if (input.freshestCrlUrl)
    crlExtensions.push(
      ext(
        id_ce_freshestCRL,
        new FreshestCRL([
          new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: input.freshestCrlUrl })] }) }),
        ]),
      ),
    );
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
    crlExtensions,
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

/** The entries of a CRL (its serials with reason), read back from its DER: the base a delta CRL is computed against. */
export function crlEntries(der: Buffer): Map<string, number | null> {
  const list = AsnConvert.parse(der, CertificateList);
  const out = new Map<string, number | null>();
  for (const rc of list.tbsCertList.revokedCertificates ?? []) {
    const serial = Buffer.from(rc.userCertificate).toString('hex').replace(/^0+(?=.)/, '');
    const reasonExt = rc.crlEntryExtensions?.find((e) => e.extnID === id_ce_cRLReasons);
    out.set(serial, reasonExt ? AsnConvert.parse(reasonExt.extnValue, CRLReason).reason : null);
  }
  return out;
}

export interface RevokedNow {
  serial: string;
  revokedAt: Date;
  reason: number | null;
  invalidityDate: Date | null;
}

/**
 * The entries of a delta CRL against a complete CRL (RFC 5280 §5.2.4): every certificate revoked
 * or held now that the base does not list with the same reason, and every certificate the base
 * lists on hold that is no longer revoked, as removeFromCRL.
 */
export function deltaEntries(base: Map<string, number | null>, now: RevokedNow[], removedAt: Date): CrlEntry[] {
  const normal = (r: number | null) => (r === REVOCATION_REASONS.unspecified ? null : r);
  const current = new Map(now.map((s) => [s.serial, s]));
  const entries: CrlEntry[] = [];
  for (const s of now) {
    if (!base.has(s.serial) || normal(base.get(s.serial)!) !== normal(s.reason)) entries.push(s);
  }
  for (const [serial] of base) {
    if (!current.has(serial)) entries.push({ serial, revokedAt: removedAt, reason: REVOCATION_REASONS.removeFromCRL, invalidityDate: null });
  }
  return entries;
}
