import type { Readable } from 'node:stream';
import { KarpooshehError } from '../domain/karpoosheh.errors.js';

export interface MultipartPart {
  type: 'file' | 'field';
  fieldname: string;
  filename?: string;
  mimetype?: string;
  value?: unknown;
  file?: Readable & { truncated?: boolean };
}

export interface MultipartRequest {
  isMultipart?: () => boolean;
  parts?: () => AsyncIterableIterator<MultipartPart>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface ReadMultipart {
  fields: Record<string, string>;
  files: { fieldname: string; filename: string; mimetype: string; bytes: Buffer }[];
}

/**
 * Reads a multipart body (@fastify/multipart), refusing a file part as soon as it passes its
 * limit (the rest is never buffered).
 */
export async function readMultipart(req: MultipartRequest, limitFor: (fieldname: string) => number): Promise<ReadMultipart> {
  if (!req.isMultipart?.() || !req.parts) {
    throw new KarpooshehError('KARPOOSHEH.MULTIPART_REQUIRED', 'unsupported_media_type', 'Send the files as multipart/form-data.');
  }
  const out: ReadMultipart = { fields: {}, files: [] };
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      out.fields[part.fieldname] = String(part.value ?? '');
      continue;
    }
    const limit = limitFor(part.fieldname);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of part.file! as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        part.file!.resume();
        throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TOO_LARGE', 'too_large', `${part.filename ?? part.fieldname} is over the limit of ${limit} bytes.`, {
          errors: [{ field: part.filename ?? part.fieldname, message: `over ${limit} bytes` }],
        });
      }
      chunks.push(chunk);
    }
    if (part.file!.truncated) {
      throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TOO_LARGE', 'too_large', `${part.filename ?? part.fieldname} is over the upload limit.`);
    }
    out.files.push({ fieldname: part.fieldname, filename: part.filename ?? part.fieldname, mimetype: part.mimetype ?? 'application/octet-stream', bytes: Buffer.concat(chunks) });
  }
  return out;
}

export interface StreamedFilePart {
  fieldname: string;
  filename: string;
  declaredMime: string;
  chunks: AsyncIterable<Buffer>;
  truncated(): boolean;
}

/**
 * The file parts of a multipart body, each handed over as its stream (fields are skipped): the
 * consumer reads one part's chunks before the next part is parsed, so at most one chunk is in
 * memory here. When the consumer stops early (a refused file), the rest of that part is drained
 * so the request completes and the refusal can be answered.
 */
export async function* streamMultipartFiles(req: MultipartRequest): AsyncGenerator<StreamedFilePart> {
  if (!req.isMultipart?.() || !req.parts) {
    throw new KarpooshehError('KARPOOSHEH.MULTIPART_REQUIRED', 'unsupported_media_type', 'Send the files as multipart/form-data.');
  }
  let finished = false;
  try {
    yield* fileParts(req);
    finished = true;
  } finally {
    // Refused early: read the rest of the body to nowhere so the client can finish sending and
    // read the refusal, and the connection closes cleanly (else it hangs on a half-read body).
    const raw = (req as { raw?: NodeJS.ReadableStream }).raw;
    if (!finished && raw) {
      raw.unpipe();
      raw.resume();
    }
  }
}

async function* fileParts(req: MultipartRequest): AsyncGenerator<StreamedFilePart> {
  for await (const part of req.parts!()) {
    if (part.type !== 'file') continue;
    const file = part.file!;
    try {
      yield {
        fieldname: part.fieldname,
        filename: part.filename ?? part.fieldname,
        declaredMime: part.mimetype ?? 'application/octet-stream',
        chunks: file as AsyncIterable<Buffer>,
        truncated: () => file.truncated === true,
      };
    } finally {
      if (!file.readableEnded) file.resume();
    }
  }
}
