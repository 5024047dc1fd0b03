import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

/** A problem found while reading the file itself (before SQL sees it). */
export interface StructureProblem {
  line: number;
  message: string;
  /** Which check the row failed (`columns` for a wrong field count). */
  check?: string;
}

/** Turns one CSV record (already split) into one COPY text-format row, or the check it failed. */
export type RowMapper = (fields: string[], line: number) => string | { check: string; problem: string };

export class FileStructureError extends Error {
  constructor(
    readonly check: 'empty' | 'header' | 'too_large' | 'gzip',
    message: string,
  ) {
    super(message);
  }
}

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
    const text = this.rest + chunk.toString('utf8');
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    try {
      const out = this.mapLines(lines);
      done(null, out.length > 0 ? out : undefined);
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      const out = this.rest.length > 0 ? this.mapLines([this.rest]) : '';
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

/**
 * The upload as plain CSV: gzip is recognised by its magic bytes (1f 8b) in the first chunk, so it
 * works whether the client sent `Content-Type: application/gzip`, `Content-Encoding: gzip`, or a
 * `.gz` file as octet-stream. Also enforces the (compressed) upload size limit while streaming.
 */
export class AutoGunzip extends Transform {
  private gunzip?: Gunzip;
  private decided = false;
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super({ readableHighWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      done(new FileStructureError('too_large', `the upload is larger than ${this.maxBytes} bytes`));
      return;
    }
    if (!this.decided) {
      this.decided = true;
      if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        const gunzip = createGunzip({ chunkSize: 1 << 18 });
        gunzip.on('data', (d: Buffer) => this.push(d));
        gunzip.on('error', (e) => this.destroy(new FileStructureError('gzip', `the gzip stream is corrupt: ${e.message}`)));
        this.gunzip = gunzip;
      }
    }
    if (!this.gunzip) {
      done(null, chunk);
    } else if (this.gunzip.write(chunk)) {
      done();
    } else {
      this.gunzip.once('drain', () => done());
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.gunzip) {
      done();
      return;
    }
    this.gunzip.once('end', () => done());
    this.gunzip.end();
  }
}
