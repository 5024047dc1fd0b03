import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { assertMaySend } from '../../senders/domain/sender-access.js';
import { SenderRepository } from '../../senders/domain/sender.repository.js';
import { checkFile, checkNoticeTotal, type AttachmentLimits } from '../domain/attachment-policy.js';
import { AttachmentStore } from '../domain/attachment-store.js';
import { AttachmentUploads } from '../domain/attachment-uploads.js';

export interface UploadedFile {
  filename: string;
  declaredMime?: string;
  bytes: Buffer;
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
 * Checks every file (size, real type by signature) before storing any: one bad file refuses
 * the upload whole. Files are stored once per content; the agency is recorded as having
 * uploaded them, so it (and only it) may attach them to its notices.
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

  async execute(agencyId: string, files: readonly UploadedFile[]): Promise<StoredAttachment[]> {
    const limits = this.limits();
    assertMaySend(await this.senders.statusForSend(agencyId));
    const checked: { f: UploadedFile; c: Awaited<ReturnType<typeof checkFile>> }[] = [];
    for (const f of files) checked.push({ f, c: await checkFile(f.filename, f.bytes, f.declaredMime, limits) });
    checkNoticeTotal(checked.map(({ c }) => c.size), limits);
    return this.tx.run(async () => {
      const out: StoredAttachment[] = [];
      for (const { f, c } of checked) {
        const stored = await this.store.put(c.sha256, c.mime, f.bytes);
        await this.uploads.record(agencyId, c.sha256);
        out.push({ filename: f.filename, sha256: c.sha256, mime: c.mime, size: c.size, stored });
      }
      return out;
    });
  }
}
