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
  const mime = await sniffMime(bytes);
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
