import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';

export interface AttachmentLimits {
  maxFileBytes: number;
  maxNoticeBytes: number;
  maxFilesPerNotice: number;
  /** MIME types accepted, judged by the file's signature (magic bytes), never by its name or declared type. */
  allowedMimeTypes: readonly string[];
}

export interface CheckedFile {
  sha256: string;
  mime: string;
  size: number;
}

/** What the bytes really are; null when no known signature matches. */
export async function sniffMime(bytes: Uint8Array): Promise<string | null> {
  const type = await fileTypeFromBuffer(bytes);
  return type?.mime ?? null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Checks one uploaded file: size, and the real type from its signature against the allow-list
 * (a script renamed to .pdf and sent as application/pdf is refused). `declaredMime` must agree
 * with the signature when given.
 */
export async function checkFile(name: string, bytes: Uint8Array, declaredMime: string | undefined, limits: AttachmentLimits): Promise<CheckedFile> {
  if (bytes.length === 0) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_EMPTY', 'invalid', `${name} is empty.`, { errors: [{ field: name, message: 'empty file' }] });
  if (bytes.length > limits.maxFileBytes) {
    throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TOO_LARGE', 'too_large', `${name} is ${bytes.length} bytes; the limit is ${limits.maxFileBytes} per file.`, {
      errors: [{ field: name, message: `over ${limits.maxFileBytes} bytes` }],
    });
  }
  const mime = await checkType(name, bytes, declaredMime, limits);
  return { sha256: sha256Hex(bytes), mime, size: bytes.length };
}

export function checkNoticeTotal(sizes: readonly number[], limits: AttachmentLimits): void {
  if (sizes.length > limits.maxFilesPerNotice) {
    throw new KarpooshehError('KARPOOSHEH.TOO_MANY_ATTACHMENTS', 'invalid', `At most ${limits.maxFilesPerNotice} attachments per notice.`, {
      errors: [{ field: 'attachments', message: `more than ${limits.maxFilesPerNotice}` }],
    });
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > limits.maxNoticeBytes) {
    throw new KarpooshehError('KARPOOSHEH.ATTACHMENTS_TOO_LARGE', 'too_large', `Attachments total ${total} bytes; the limit is ${limits.maxNoticeBytes} per notice.`, {
      errors: [{ field: 'attachments', message: `over ${limits.maxNoticeBytes} bytes` }],
    });
  }
}

/** Bytes file-type needs to judge every signature it knows (its `reasonableDetectionSizeInBytes`). */
export const SNIFF_BYTES = 4100;

/**
 * Checks one file while it streams: size at every chunk (per file, and the notice's running
 * total), the real type from the head before any byte is let through, SHA-256 per chunk.
 * `push` returns the bytes that may now be stored (the head is held back until judged).
 */
export class StreamedFileCheck {
  private readonly hash = createHash('sha256');
  private head: Buffer[] | null = [];
  private headSize = 0;
  size = 0;
  mime: string | null = null;

  constructor(
    private readonly name: string,
    private readonly declaredMime: string | undefined,
    private readonly limits: AttachmentLimits,
    /** Bytes of the notice's earlier files. */
    private readonly before: number,
  ) {}

  async push(chunk: Buffer): Promise<Buffer[]> {
    this.size += chunk.length;
    if (this.size > this.limits.maxFileBytes) {
      throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TOO_LARGE', 'too_large', `${this.name} is over the limit of ${this.limits.maxFileBytes} bytes per file.`, {
        errors: [{ field: this.name, message: `over ${this.limits.maxFileBytes} bytes` }],
      });
    }
    if (this.before + this.size > this.limits.maxNoticeBytes) {
      throw new KarpooshehError('KARPOOSHEH.ATTACHMENTS_TOO_LARGE', 'too_large', `Attachments total over ${this.limits.maxNoticeBytes} bytes per notice.`, {
        errors: [{ field: 'attachments', message: `over ${this.limits.maxNoticeBytes} bytes` }],
      });
    }
    this.hash.update(chunk);
    if (!this.head) return [chunk];
    this.head.push(chunk);
    this.headSize += chunk.length;
    return this.headSize >= SNIFF_BYTES ? this.judge() : [];
  }

  /** At the end of the file: the last held bytes (a file shorter than the sniff window) and the result. */
  async end(): Promise<{ rest: Buffer[]; checked: CheckedFile }> {
    if (this.size === 0) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_EMPTY', 'invalid', `${this.name} is empty.`, { errors: [{ field: this.name, message: 'empty file' }] });
    const rest = this.head ? await this.judge() : [];
    return { rest, checked: { sha256: this.hash.digest('hex'), mime: this.mime!, size: this.size } };
  }

  private async judge(): Promise<Buffer[]> {
    const held = this.head!;
    this.head = null;
    const headBytes = Buffer.concat(held);
    // Same rules as checkFile, judged on the head only (signatures sit in the first bytes).
    this.mime = await checkType(this.name, headBytes, this.declaredMime, this.limits);
    return held;
  }
}

async function checkType(name: string, head: Uint8Array, declaredMime: string | undefined, limits: AttachmentLimits): Promise<string> {
  const mime = await sniffMime(head);
  if (!mime || !limits.allowedMimeTypes.includes(mime)) {
    throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED', 'unsupported_media_type', `${name} is ${mime ?? 'of no recognised type'}; allowed: ${limits.allowedMimeTypes.join(', ')}.`, {
      errors: [{ field: name, message: `content is ${mime ?? 'unrecognised'}` }],
    });
  }
  const declared = declaredMime?.split(';')[0].trim().toLowerCase();
  if (declared && declared !== 'application/octet-stream' && declared !== mime) {
    throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TYPE_MISMATCH', 'unsupported_media_type', `${name} is declared ${declared} but its content is ${mime}.`, {
      errors: [{ field: name, message: 'declared type differs from content' }],
    });
  }
  return mime;
}
