import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { GsbSettings } from '../../config/gsb-settings.js';
import { conflict, GsbError } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { LETTER_CONTENT_TYPES, type LetterFileInfo } from '../domain/deficiencies.js';
import { EDITABLE_STATES, type HistoryEntry, type RequestRecord } from '../domain/request.js';
import { RequestRepository } from '../domain/request.repository.js';
import { loadOwnRequest } from './request-access.js';
import { edited } from './request-events.js';

/**
 * Step 8: the authorization letter's image or PDF. Its type is read from the bytes (magic
 * numbers, `file-type`), never from the file name or the declared Content-Type; a file of
 * another type, or over LETTER_MAX_BYTES, is refused and nothing is stored. The SHA-256 is kept
 * so the expert can cite exactly which file was reviewed. The upload is an edit of the request:
 * a history entry (`edit`, fields `letterFile`, with the file's type, size and digest — never its
 * bytes) and a `gsb.request.edited` event, in the transaction that stores the file.
 */
@Injectable()
export class UploadLetterUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
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
    return this.tx.run(async (m) => {
      const r = await loadOwnRequest(this.requests, actor, id, true);
      if (r.kind !== 'SERVICE') throw conflict('GSB.FIELD_NOT_OF_KIND', 'a connection request has no authorization letter');
      if (!EDITABLE_STATES.includes(r.state)) throw conflict('GSB.REQUEST_NOT_EDITABLE', `a request in state ${r.state} cannot be edited`);
      const at = new Date();
      const next: RequestRecord = { ...r, letterFile: info, updatedAt: at, version: r.version + 1 };
      const h: HistoryEntry = { at, actor: actor.subject, actorRole: 'agency', action: 'edit', fromState: r.state, toState: r.state, comment: null, details: { fields: ['letterFile'], letterFile: info } };
      await this.requests.saveWithHistory(next, h, { ...info, fileName: file.fileName?.slice(0, 255) ?? null, bytes: file.bytes });
      await this.outbox.append(m, [edited(next, h, ['letterFile'])]);
      return info;
    });
  }
}
