/**
 * Minimal DER reader/writer. The hot OCSP path hand-walks requests and assembles responses from
 * pre-encoded pieces because (a) the response must echo the request's CertID byte for byte and
 * (b) a schema-driven encoder costs ~0.4 ms per response, more than the signature itself.
 * Everything else (certificates, CRLs) goes through @peculiar/asn1-*.
 */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export class DerError extends Error {}

/** Reads one TLV at `offset`, bounded by `limit`. Only single-byte tags (all OCSP needs). */
export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated TLV');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let pos = offset + 1;
  let len = buf[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported length form');
    if (pos + n > limit) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
    if (len < 0x80) throw new DerError('non-minimal length');
  }
  const end = pos + len;
  if (end > limit) throw new DerError('content overruns its container');
  return { tag, start: offset, contentStart: pos, end };
}

/** The children of a constructed TLV. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const child = readTlv(buf, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function lengthBytes(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes tag + length + the concatenation of `parts`. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  let len = 0;
  for (const p of parts) len += p.length;
  return Buffer.concat([Buffer.from([tag]), lengthBytes(len), ...parts], 1 + lengthBytes(len).length + len);
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
  GENERALIZED_TIME: 0x18,
} as const;

/** Context-specific tag number `n`, constructed (EXPLICIT or IMPLICIT over a constructed type). */
export const ctx = (n: number): number => 0xa0 | n;
/** Context-specific tag number `n`, primitive (IMPLICIT over a primitive type). */
export const ctxPrimitive = (n: number): number => 0x80 | n;

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => BigInt(a));
  const bytes: number[] = [Number(arcs[0] * 40n + arcs[1])];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    bytes.push(...chunk);
  }
  return tlv(TAG.OID, Buffer.from(bytes));
}

export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < content.length; i++) {
    v = (v << 7n) | BigInt(content[i] & 0x7f);
    if (!(content[i] & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

export function generalizedTime(date: Date): Buffer {
  const s = date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(s, 'ascii'));
}

export function octetString(bytes: Uint8Array): Buffer {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** DER INTEGER of a non-negative magnitude given big-endian without sign. */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  const body = trimmed.length === 0 ? Buffer.from([0]) : trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(TAG.INTEGER, body);
}

export function bitString(bytes: Uint8Array): Buffer {
  return tlv(TAG.BIT_STRING, Buffer.from([0]), bytes);
}
