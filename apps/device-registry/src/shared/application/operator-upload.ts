import { PassThrough, type Readable } from 'node:stream';
import type { HamtaSettings } from '../../config/hamta-settings.js';
import { ConflictError, InvalidInputError, TooLargeError, UnsupportedMediaTypeError } from '../domain/hamta.errors.js';
import { FileStructureError } from '../domain/file-structure.error.js';

/** Content types an operator may send a bulk file as (gzip is detected from its magic bytes). */
export const ACCEPTED_FILE_TYPES = ['text/csv', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** What every bulk upload (sightings, subscriber ownership) arrives with. */
export interface OperatorUpload {
  operatorCode: string;
  contentType: string;
  contentLength: number;
  body: Readable | undefined;
}

export const uploadError = (field: string, message: string, code = 'HAMTA.FILE_REQUEST_INVALID') =>
  new InvalidInputError(code, message, { errors: [{ field, message }] });

const fileTooLarge = (message: string) =>
  new TooLargeError('HAMTA.FILE_TOO_LARGE', message, { errors: [{ field: 'body', message }] });

/**
 * Checks the envelope of an upload before a byte of it is read: a known operator, a raw body of an
 * accepted type, a declared size within the limit. Returns the operator's PLMN ids and the body.
 */
export function checkUpload(input: OperatorUpload, settings: HamtaSettings): { plmns: string[]; body: Readable } {
  const plmns = settings.operatorPlmns[input.operatorCode];
  if (!plmns) throw uploadError('code', `unknown operator ${input.operatorCode}`);
  const type = input.contentType.split(';')[0].trim().toLowerCase();
  if (!ACCEPTED_FILE_TYPES.includes(type) || !input.body || typeof (input.body as Readable).pipe !== 'function') {
    const message = `send the file as the raw body with Content-Type ${ACCEPTED_FILE_TYPES.join(' or ')}, got "${type || 'none'}"`;
    throw new UnsupportedMediaTypeError('HAMTA.FILE_CONTENT_TYPE', message, { errors: [{ field: 'content-type', message }] });
  }
  if (Number.isFinite(input.contentLength) && input.contentLength > settings.maxFileBytes) {
    throw fileTooLarge(`the file is larger than ${settings.maxFileBytes} bytes`);
  }
  return { plmns, body: detachable(input.body) };
}

/**
 * The request body behind a pass-through, so a file rejected half-way (too large, corrupt) does not
 * destroy the request — and with it the socket the 400 must go out on. The rest of the body is
 * read and discarded instead (bounded by the server's request timeout).
 */
function detachable(body: Readable): Readable {
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  body.on('error', (e) => pass.destroy(e));
  body.pipe(pass);
  pass.on('close', () => {
    if (body.readableEnded) return;
    body.unpipe(pass);
    body.resume();
  });
  return pass;
}

const STRUCTURE_CODES: Record<FileStructureError['check'], string> = {
  too_large: 'HAMTA.FILE_TOO_LARGE',
  empty: 'HAMTA.FILE_EMPTY',
  header: 'HAMTA.FILE_HEADER',
  gzip: 'HAMTA.FILE_GZIP_CORRUPT',
  line_too_long: 'HAMTA.FILE_LINE_TOO_LONG',
};

/** Maps what can go wrong while reading and storing a file to problems the caller can act on. */
export function uploadFailure(e: unknown): unknown {
  if (e instanceof FileStructureError) {
    return e.check === 'too_large' ? fileTooLarge(e.message) : uploadError('body', e.message, STRUCTURE_CODES[e.check]);
  }
  if ((e as { code?: string }).code === '23505') {
    return new ConflictError('HAMTA.FILE_UPLOAD_RACE', 'the same file was merged by a concurrent upload just now', 'Nothing more to do: upload again to see its report.');
  }
  return e;
}
