import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { OutboxWriter } from '@darvazeh/messaging';
import { GsbSettings } from '../../config/gsb-settings.js';
import { conflict, GsbError } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { LETTER_CONTENT_TYPES, type LetterFileInfo } from '../domain/deficiencies.js';
import { EDITABLE_STATES, type HistoryEntry, type RequestRecord } from '../domain/request.js';
import { RequestRepository } from '../domain/request.repository.js';
import { loadOwnRequest } from './request-access.js';
import { edited } from './request-events.js';

/** Attempts of a write whose request another caller changed between its read and its write. */
const WRITE_ATTEMPTS = 5;

/**
 * Step 8: the authorization letter's image or PDF. Its type is read from the bytes (magic
 * numbers, `file-type`), never from the file name or the declared Content-Type; a file of
 * another type, or over LETTER_MAX_BYTES, is refused and nothing is stored. The SHA-256 is kept
 * so the expert can cite exactly which file was reviewed. The upload is an edit of the request:
 * a history entry (`edit`, fields `letterFile`, with the file's type, size and digest — never its
 * bytes) and a `gsb.request.edited` event, in the statement that stores the file.
 */
@Injectable()
export class UploadLetterUseCase {
  constructor(
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(GsbSettings) private readonly settings: GsbSettings,
  ) {}

  async execute(actor: Actor, id: string, file: { bytes: Buffer; fileName: string | null }): Promise<LetterFileInfo> {
    if (file.bytes.length === 0) throw new GsbError('GSB.LETTER_FILE_EMPTY', 'invalid', 'the uploaded file is empty', { errors: [{ field: 'file', message: 'is empty' }] });
    if (file.bytes.length > this.settings.letterMaxBytes) {
      throw new GsbError('GSB.LETTER_FILE_TOO_LARGE', 'too_large', `the letter file is larger than ${this.settings.letterMaxBytes} bytes`, {
        errors: [{ field: 'file', message: `at most ${this.settings.letterMaxBytes} bytes` }],
      });
    }
    const sniffed = await fileTypeFromBuffer(file.bytes);
    if (!sniffed || !(LETTER_CONTENT_TYPES as readonly string[]).includes(sniffed.mime)) {
      throw new GsbError('GSB.LETTER_FILE_TYPE', 'unsupported_media_type', `the letter file is ${sniffed ? sniffed.mime : 'of no known type'}, not a PDF or an image`, {
        hint: 'Upload a scan of the letter as PDF, PNG, JPEG, TIFF or WebP.',
        errors: [{ field: 'file', message: 'must be a PDF or an image (PNG, JPEG, TIFF, WebP)' }],
      });
    }
    const info: LetterFileInfo = { contentType: sniffed.mime, size: file.bytes.length, sha256: createHash('sha256').update(file.bytes).digest('hex') };
    const stored = { ...info, fileName: file.fileName?.slice(0, 255) ?? null, bytes: file.bytes };
    // One read and one write (commitStep: the request only if still at the version read, the
    // file, the history entry and the event); read again when someone changed it in between.
    for (let attempt = 1; ; attempt++) {
      const r = await loadOwnRequest(this.requests, actor, id);
      if (r.kind !== 'SERVICE') throw conflict('GSB.FIELD_NOT_OF_KIND', 'a connection request has no authorization letter');
      if (!EDITABLE_STATES.includes(r.state)) throw conflict('GSB.REQUEST_NOT_EDITABLE', `a request in state ${r.state} cannot be edited`);
      const at = new Date();
      const next: RequestRecord = { ...r, letterFile: info, updatedAt: at, version: r.version + 1 };
      const h: HistoryEntry = { at, actor: actor.subject, actorRole: 'agency', action: 'edit', fromState: r.state, toState: r.state, comment: null, details: { fields: ['letterFile'], letterFile: info } };
      if (await this.requests.commitStep({ request: next, readVersion: r.version, history: h, events: this.outbox.render([edited(next, h, ['letterFile'])]), letterFile: stored })) {
        this.outbox.written();
        return info;
      }
      if (attempt === WRITE_ATTEMPTS) throw conflict('GSB.CONCURRENT_CHANGE', `request ${id} kept changing while the letter was stored`, 'Read the request again and retry.');
    }
  }
}
