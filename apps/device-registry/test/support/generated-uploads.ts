import { Readable } from 'node:stream';
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MIB = 1 << 20;

/**
 * A valid gzip file of `head` followed by `mib` MiB of `unit` repeated, built without ever holding
 * the decompressed content: each MiB is one deflate block ended by a full flush (no reference
 * across blocks), so the same compressed block can be repeated. 1 GiB of zeros is ~1 MB.
 */
export function gzipBomb(mib: number, unit = '\0', head = ''): Buffer {
  const pattern = Buffer.alloc(MIB, unit);
  const block = deflateRawSync(pattern, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const headBlock = deflateRawSync(Buffer.from(head), { finishFlush: constants.Z_FULL_FLUSH });
  let crc = crc32(Buffer.from(head));
  for (let i = 0; i < mib; i++) crc = crc32(pattern, crc);
  const size = (Buffer.byteLength(head) + mib * MIB) % 2 ** 32;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size, 4);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  return Buffer.concat([header, headBlock, ...Array<Buffer>(mib).fill(block), deflateRawSync(Buffer.alloc(0)), trailer]);
}

/** One line of `mib` MiB (no newline), streamed in 64 KiB chunks; `pulled()` says how many bytes were read. */
export function endlessLine(mib: number, char = 'x'): { stream: Readable; pulled: () => number } {
  const chunk = Buffer.alloc(64 * 1024, char);
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= mib * MIB) this.push(null);
      else {
        sent += chunk.length;
        this.push(chunk);
      }
    },
  });
  return { stream, pulled: () => sent };
}

/** A buffer read in `size`-byte chunks; `pulled()` says how many bytes were read. */
export function chunked(buf: Buffer, size = 64 * 1024): { stream: Readable; pulled: () => number } {
  let at = 0;
  const stream = new Readable({
    read() {
      if (at >= buf.length) this.push(null);
      else {
        this.push(buf.subarray(at, at + size));
        at += size;
      }
    },
  });
  return { stream, pulled: () => Math.min(at, buf.length) };
}
