import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { assertMaySend } from '../../senders/domain/sender-access.js';
import { SenderRepository } from '../../senders/domain/sender.repository.js';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';
import { checkNoticeTotal, StreamedFileCheck, type AttachmentLimits, type CheckedFile } from '../domain/attachment-policy.js';
import { AttachmentStore, type AttachmentWrite } from '../domain/attachment-store.js';
import { AttachmentUploads } from '../domain/attachment-uploads.js';

/** One file part of an upload, as it arrives. */
export interface UploadPart {
  filename: string;
  declaredMime?: string;
  chunks: AsyncIterable<Buffer>;
  /** True when the transport cut the part at its own limit. */
  truncated(): boolean;
}

export interface StoredAttachment {
  filename: string;
  sha256: string;
  mime: string;
  size: number;
  /** False when the same bytes were already stored (content addressed). */
  stored: boolean;
}

/**
 * Streams every file part into the store while checking it (per-file and per-notice size at
 * every chunk, the real type from the head before any byte is stored, SHA-256 per chunk), all
 * inside one transaction: one bad file refuses the upload whole and nothing stays stored (the
 * writes are aborted and the transaction rolls back). Files are filed under their SHA-256 only
 * after every part has passed, so dedupe never points at a half-written object. The agency is
 * recorded as having uploaded them, so it (and only it) may attach them to its notices.
 */
@Injectable()
export class UploadAttachmentsUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(AttachmentStore) private readonly store: AttachmentStore,
    @Inject(AttachmentUploads) private readonly uploads: AttachmentUploads,
    @Inject(SenderRepository) private readonly senders: SenderRepository,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  limits(): AttachmentLimits {
    return {
      maxFileBytes: this.env.MAX_ATTACHMENT_BYTES,
      maxNoticeBytes: this.env.MAX_NOTICE_ATTACHMENT_BYTES,
      maxFilesPerNotice: this.env.MAX_ATTACHMENTS_PER_NOTICE,
      allowedMimeTypes: this.env.ATTACHMENT_MIME_TYPES,
    };
  }

  async execute(agencyId: string, parts: AsyncIterable<UploadPart>): Promise<StoredAttachment[]> {
    const limits = this.limits();
    assertMaySend(await this.senders.statusForSend(agencyId));
    return this.tx.run(async () => {
      const files: { filename: string; write: AttachmentWrite; checked?: CheckedFile }[] = [];
      try {
        let total = 0;
        for await (const part of parts) {
          checkNoticeTotal([...files.map(() => 0), 0], limits);
          const check = new StreamedFileCheck(part.filename, part.declaredMime, limits, total);
          const file: (typeof files)[number] = { filename: part.filename, write: await this.store.begin() };
          files.push(file);
          for await (const chunk of part.chunks) for (const ready of await check.push(chunk)) await file.write.write(ready);
          if (part.truncated()) {
            throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_TOO_LARGE', 'too_large', `${part.filename} is over the upload limit.`, { errors: [{ field: part.filename, message: 'over the upload limit' }] });
          }
          const { rest, checked } = await check.end();
          for (const ready of rest) await file.write.write(ready);
          file.checked = checked;
          total += checked.size;
        }
        if (files.length === 0) throw new KarpooshehError('KARPOOSHEH.NO_FILES', 'invalid', 'Send at least one file part.');
        const out: StoredAttachment[] = [];
        for (const { filename, write, checked } of files) {
          const c = checked!;
          const stored = await write.commit(c.sha256, c.mime, c.size);
          await this.uploads.record(agencyId, c.sha256);
          out.push({ filename, sha256: c.sha256, mime: c.mime, size: c.size, stored });
        }
        return out;
      } catch (error) {
        // One at a time: on the PostgreSQL store every abort is a query on the transaction's one
        // client, and pg deprecates (pg 9 refuses) a query issued while another is running.
        for (const f of files) await f.write.abort().catch(() => undefined);
        throw error;
      }
    });
  }
}
