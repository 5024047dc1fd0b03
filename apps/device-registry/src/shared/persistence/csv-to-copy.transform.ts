import { createHash, type Hash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { FileStructureError, type StructureProblem } from '../domain/file-structure.error.js';

export type { StructureProblem };

/** Turns one CSV record (already split) into one COPY text-format row, or the check it failed. */
export type RowMapper = (fields: string[], line: number) => string | { check: string; problem: string };

export { FileStructureError };

/**
 * Longest line (in characters) an operator's file may hold. Their rows are 40–100 characters;
 * without a bound, one endless line is held (and re-scanned) in memory whole.
 */
export const MAX_LINE_CHARS = 4096;

export const lineTooLong = (line: number) =>
  new FileStructureError('line_too_long', `line ${line} is longer than ${MAX_LINE_CHARS} characters: not a CSV export of this kind`);

/** Escapes a value for PostgreSQL COPY text format. */
export function copyText(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const SAMPLES_PER_CHECK = 5;

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.charCodeAt(0) === 34 && f.charCodeAt(f.length - 1) === 34 ? f.slice(1, -1) : f;
}

/**
 * Streams CSV text into COPY rows: checks the header, maps each record, counts records that do
 * not have the expected number of fields (kept as samples, never sent to SQL), and hashes the
 * decompressed content so the same file re-uploaded (gzipped or not) is recognised.
 * Operators' files hold digits and dates only, so fields are split on commas; a field wrapped in
 * double quotes is unwrapped, quoted commas are not supported (reported as wrong field count).
 */
export class CsvToCopyTransform extends Transform {
  private rest = '';
  private line = 0;
  private headerSeen = false;
  private readonly hash: Hash = createHash('sha256');
  private readonly decoder = new StringDecoder('utf8');
  private bytes = 0;
  rows = 0;
  /** Rows that failed, by check (`columns` = wrong number of fields); none of them reach COPY. */
  readonly failed = new Map<string, number>();
  /** Up to SAMPLES_PER_CHECK failing rows per check, in file order. */
  readonly samples: StructureProblem[] = [];

  constructor(
    private readonly expectedHeader: string[],
    private readonly mapRow: RowMapper,
    private readonly maxBytes: number,
  ) {
    super({ decodeStrings: true, writableHighWaterMark: 1 << 20, readableHighWaterMark: 1 << 20 });
  }

  private digest?: string;

  /** SHA-256 of the decompressed content; valid once the stream has ended. */
  get sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new FileStructureError('too_large', `the file is larger than ${this.maxBytes} bytes (uncompressed)`));
      return;
    }
    this.hash.update(chunk);
    try {
      // The unfinished line is at most MAX_LINE_CHARS, so carrying it over costs O(chunk).
      const text = this.rest + this.decoder.write(chunk);
      const lines = text.split('\n');
      this.rest = lines.pop() ?? '';
      if (this.rest.length > MAX_LINE_CHARS) throw lineTooLong(this.line + lines.length + 1);
      const out = this.mapLines(lines);
      done(null, out.length > 0 ? out : undefined);
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      const tail = this.rest + this.decoder.end();
      const out = tail.length > 0 ? this.mapLines([tail]) : '';
      if (!this.headerSeen) throw new FileStructureError('empty', 'the file is empty: expected a header line');
      done(null, out.length > 0 ? out : undefined);
    } catch (e) {
      done(e as Error);
    }
  }

  private mapLines(lines: string[]): string {
    let out = '';
    const width = this.expectedHeader.length;
    for (let raw of lines) {
      this.line++;
      if (raw.length > MAX_LINE_CHARS) throw lineTooLong(this.line);
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      if (!this.headerSeen) {
        if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
        const header = raw.split(',').map((h) => unquote(h).toLowerCase());
        if (header.join(',') !== this.expectedHeader.join(',')) {
          throw new FileStructureError(
            'header',
            `the first line must be the header "${this.expectedHeader.join(',')}", got "${raw.slice(0, 200)}"`,
          );
        }
        this.headerSeen = true;
        continue;
      }
      if (raw.length === 0) continue;
      const fields = raw.split(',');
      if (fields.length !== width) {
        this.problem(this.line, 'columns', `expected ${width} fields, got ${fields.length}: ${raw.slice(0, 200)}`);
        continue;
      }
      for (let i = 0; i < width; i++) {
        const f = fields[i];
        if (f.length > 0 && (f.charCodeAt(0) === 34 || f.charCodeAt(0) === 32 || f.charCodeAt(f.length - 1) === 32)) {
          fields[i] = unquote(f);
        }
      }
      const row = this.mapRow(fields, this.line);
      if (typeof row !== 'string') {
        this.problem(this.line, row.check, row.problem);
        continue;
      }
      this.rows++;
      out += row;
    }
    return out;
  }

  private problem(line: number, check: string, message: string): void {
    const n = (this.failed.get(check) ?? 0) + 1;
    this.failed.set(check, n);
    if (n <= SAMPLES_PER_CHECK) this.samples.push({ line, check, message: message.slice(0, 300) });
  }
}

/** What a decompressed upload may grow to. */
export interface InflateLimits {
  /** Upload bytes as sent (compressed size for gzip). */
  maxBytes: number;
  /** Decompressed bytes. */
  maxDecompressedBytes: number;
  /**
   * Decompressed bytes per compressed byte seen so far (beyond the first 16 MiB): operators' CSV
   * of digits compresses 3–10×, a gzip bomb of zeros ~1,000×, so a bomb is refused after its
   * first chunk instead of after gigabytes.
   */
  maxRatio: number;
}

/** An importer request's limits with their defaults. */
export function inflateLimits(req: { maxBytes: number; maxDecompressedBytes?: number; maxGzipRatio?: number }): InflateLimits {
  return { maxBytes: req.maxBytes, maxDecompressedBytes: req.maxDecompressedBytes ?? req.maxBytes * 8, maxRatio: req.maxGzipRatio ?? 100 };
}

const RATIO_FREE_BYTES = 16 * 1024 * 1024;

/**
 * The upload as plain CSV: gzip is recognised by its magic bytes (1f 8b) in the first chunk, so it
 * works whether the client sent `Content-Type: application/gzip`, `Content-Encoding: gzip`, or a
 * `.gz` file as octet-stream. Enforces the upload size, the decompressed size and the inflate
 * ratio while streaming, and honours backpressure both ways: the inflater is paused while the
 * reader behind it is busy, and input is not taken while the inflater is full, so memory stays
 * at a few buffers whatever the file expands to.
 */
export class AutoGunzip extends Transform {
  private gunzip?: Gunzip;
  private decided = false;
  private seen = 0;
  private inflated = 0;
  private readonly limits: InflateLimits;

  constructor(limits: number | InflateLimits) {
    super({ readableHighWaterMark: 1 << 20 });
    this.limits = typeof limits === 'number' ? { maxBytes: limits, maxDecompressedBytes: limits * 8, maxRatio: 100 } : limits;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limits.maxBytes) {
      done(new FileStructureError('too_large', `the upload is larger than ${this.limits.maxBytes} bytes`));
      return;
    }
    if (!this.decided) {
      this.decided = true;
      if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        const gunzip = createGunzip({ chunkSize: 1 << 16 });
        gunzip.on('data', (d: Buffer) => this.inflatedChunk(d));
        gunzip.on('error', (e) => this.destroy(new FileStructureError('gzip', `the gzip stream is corrupt: ${e.message}`)));
        this.gunzip = gunzip;
      }
    }
    if (!this.gunzip) {
      const over = this.overLimit(chunk.length);
      done(over, over ? undefined : chunk);
    } else if (this.gunzip.write(chunk)) {
      done();
    } else {
      this.gunzip.once('drain', () => done());
    }
  }

  override _read(size: number): void {
    if (this.gunzip?.isPaused() && !this.destroyed) this.gunzip.resume();
    super._read(size);
  }

  override _flush(done: TransformCallback): void {
    if (!this.gunzip) {
      done();
      return;
    }
    this.gunzip.once('end', () => done());
    this.gunzip.end();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.gunzip?.destroy();
    done(error);
  }

  private inflatedChunk(d: Buffer): void {
    if (this.destroyed) return;
    const over = this.overLimit(d.length);
    if (over) {
      this.gunzip?.pause();
      this.destroy(over);
      return;
    }
    if (!this.push(d)) this.gunzip?.pause();
  }

  private overLimit(n: number): FileStructureError | null {
    this.inflated += n;
    const { maxDecompressedBytes, maxRatio } = this.limits;
    if (this.inflated > maxDecompressedBytes) {
      return new FileStructureError('too_large', `the file is larger than ${maxDecompressedBytes} bytes (uncompressed)`);
    }
    if (this.gunzip && this.inflated > RATIO_FREE_BYTES && this.inflated > maxRatio * this.seen) {
      return new FileStructureError('too_large', `the gzip stream expands more than ${maxRatio}× (${this.inflated} bytes from ${this.seen}): not an export of sightings or subscribers`);
    }
    return null;
  }
}
