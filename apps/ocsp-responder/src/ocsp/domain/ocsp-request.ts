import { children, decodeOid, DerError, readTlv, TAG, type Tlv } from '../../pki/der.js';
import { OID } from '../../pki/certificate-info.js';
import { SerialNumber } from '../../certificates/domain/serial-number.js';

/** One CertID of a request, with its exact DER so the response can echo it. */
export interface RequestedCertId {
  der: Buffer;
  /** `latin1` string of `der`: the in-memory cache key (cheap to build and to hash). */
  key: string;
  hashAlgorithm: string;
  issuerNameHash: string;
  issuerKeyHash: string;
  /** Canonical hex of the serial (leading zeros stripped). */
  serial: string;
}

export interface ParsedOcspRequest {
  certIds: RequestedCertId[];
  /** The whole nonce Extension (DER) to echo, when the client sent one. */
  nonceExtension: Buffer | null;
}

export class MalformedOcspRequest extends Error {}

export const MAX_NONCE_OCTETS = 32;

/**
 * Walks an OCSPRequest (RFC 6960 §4.1.1) without a schema library: this runs for every request
 * on the hot path. Any structural problem is a MalformedOcspRequest (→ malformedRequest).
 */
export function parseOcspRequest(buf: Buffer, maxCertIds: number): ParsedOcspRequest {
  try {
    const outer = readTlv(buf, 0);
    if (outer.tag !== TAG.SEQUENCE || outer.end !== buf.length) throw new MalformedOcspRequest('not a single OCSPRequest SEQUENCE');
    const [tbs] = children(buf, outer);
    if (!tbs || tbs.tag !== TAG.SEQUENCE) throw new MalformedOcspRequest('tbsRequest missing');
    let requestList: Tlv | undefined;
    let extensions: Tlv | undefined;
    for (const field of children(buf, tbs)) {
      if (field.tag === TAG.SEQUENCE) requestList = field;
      else if (field.tag === 0xa2) extensions = field;
      else if (field.tag !== 0xa0 && field.tag !== 0xa1) throw new MalformedOcspRequest(`unexpected field tag ${field.tag}`);
    }
    if (!requestList) throw new MalformedOcspRequest('requestList missing');
    const requests = children(buf, requestList);
    if (requests.length === 0) throw new MalformedOcspRequest('requestList is empty');
    if (requests.length > maxCertIds) throw new MalformedOcspRequest(`more than ${maxCertIds} CertIDs`);
    const certIds = requests.map((r) => parseRequest(buf, r));
    return { certIds, nonceExtension: extensions ? findNonce(buf, extensions) : null };
  } catch (err) {
    if (err instanceof MalformedOcspRequest) throw err;
    if (err instanceof DerError) throw new MalformedOcspRequest(err.message);
    throw err;
  }
}

function parseRequest(buf: Buffer, request: Tlv): RequestedCertId {
  if (request.tag !== TAG.SEQUENCE) throw new MalformedOcspRequest('Request is not a SEQUENCE');
  const [certId] = children(buf, request);
  if (!certId || certId.tag !== TAG.SEQUENCE) throw new MalformedOcspRequest('CertID missing');
  const parts = children(buf, certId);
  if (parts.length !== 4) throw new MalformedOcspRequest('CertID must have 4 fields');
  const [alg, nameHash, keyHash, serial] = parts;
  if (alg.tag !== TAG.SEQUENCE || nameHash.tag !== TAG.OCTET_STRING || keyHash.tag !== TAG.OCTET_STRING || serial.tag !== TAG.INTEGER)
    throw new MalformedOcspRequest('CertID fields have the wrong types');
  const oid = children(buf, alg)[0];
  if (!oid || oid.tag !== TAG.OID) throw new MalformedOcspRequest('hashAlgorithm has no OID');
  // decodeOid's only failure, checked here because the OID itself is decoded later, on first use.
  if (oid.end === oid.contentStart) throw new MalformedOcspRequest('empty OID');
  if (serial.end === serial.contentStart) throw new MalformedOcspRequest('empty serialNumber');
  return new ParsedCertId(buf, certId.start, certId.end, oid, nameHash, keyHash, serial);
}

/**
 * A CertID whose fields are decoded on first use: a pre-signed answer is found by `key` alone,
 * so the hot path never pays for the OID, the hex hashes or the serial.
 */
class ParsedCertId implements RequestedCertId {
  readonly der: Buffer;
  readonly key: string;
  private decoded: { hashAlgorithm: string; issuerNameHash: string; issuerKeyHash: string; serial: string } | null = null;

  constructor(
    private readonly buf: Buffer,
    start: number,
    end: number,
    private readonly oid: Tlv,
    private readonly nameHash: Tlv,
    private readonly keyHash: Tlv,
    private readonly serialTlv: Tlv,
  ) {
    this.der = buf.subarray(start, end);
    this.key = buf.toString('latin1', start, end);
  }

  private fields() {
    const { buf, oid, nameHash, keyHash, serialTlv } = this;
    return (this.decoded ??= {
      hashAlgorithm: decodeOid(buf.subarray(oid.contentStart, oid.end)),
      issuerNameHash: buf.toString('hex', nameHash.contentStart, nameHash.end),
      issuerKeyHash: buf.toString('hex', keyHash.contentStart, keyHash.end),
      serial: SerialNumber.fromDerContent(buf.subarray(serialTlv.contentStart, serialTlv.end)),
    });
  }

  get hashAlgorithm(): string {
    return this.fields().hashAlgorithm;
  }

  get issuerNameHash(): string {
    return this.fields().issuerNameHash;
  }

  get issuerKeyHash(): string {
    return this.fields().issuerKeyHash;
  }

  get serial(): string {
    return this.fields().serial;
  }
}

const NONCE_OID_DER = Buffer.from('06092b0601050507300102', 'hex');

function findNonce(buf: Buffer, explicit: Tlv): Buffer | null {
  const [exts] = children(buf, explicit);
  if (!exts || exts.tag !== TAG.SEQUENCE) throw new MalformedOcspRequest('requestExtensions is not a SEQUENCE');
  for (const ext of children(buf, exts)) {
    const fields = children(buf, ext);
    const oid = fields[0];
    if (!oid || oid.tag !== TAG.OID) throw new MalformedOcspRequest('extension without OID');
    if (!buf.subarray(oid.start, oid.end).equals(NONCE_OID_DER)) continue;
    const value = fields[fields.length - 1];
    if (value.tag !== TAG.OCTET_STRING) throw new MalformedOcspRequest('nonce extnValue is not an OCTET STRING');
    const length = nonceLength(buf, value);
    // RFC 8954: 1..32 octets; a longer nonce is refused rather than truncated.
    if (length < 1 || length > MAX_NONCE_OCTETS) throw new MalformedOcspRequest(`nonce of ${length} octets (1..${MAX_NONCE_OCTETS})`);
    return Buffer.from(buf.subarray(ext.start, ext.end));
  }
  return null;
}

/** RFC 8954 wraps the nonce in an inner OCTET STRING; older clients put raw octets. */
function nonceLength(buf: Buffer, value: Tlv): number {
  if (value.end - value.contentStart >= 2 && buf[value.contentStart] === TAG.OCTET_STRING) {
    try {
      const inner = readTlv(buf, value.contentStart, value.end);
      if (inner.end === value.end) return inner.end - inner.contentStart;
    } catch {
      // not an inner OCTET STRING: raw nonce octets
    }
  }
  return value.end - value.contentStart;
}

export const NONCE_OID = OID.ocspNonce;
