import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { AttachmentStore } from '../../attachments/domain/attachment-store.js';
import { NoticeRepository, type EntryRow, type NoticeRow } from '../../notices/domain/notice.repository.js';
import { TransitionRecorder } from '../../notices/application/transition-recorder.js';
import { VISIBLE_STATES } from '../../notices/domain/recipient-state.js';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import type { InboxOwner } from './inbox-owner.js';

export interface OpenedNotice {
  noticeId: string;
  subject: string;
  body: string;
  bodyFormat: 'text' | 'html';
  category: string;
  dueDate: string | null;
  sender: { agencyId: string; name: string | null };
  state: string;
  receivedAt: string;
  readAt: string;
  readBy: string;
  firstOpening: boolean;
  attachments: { sha256: string; filename: string; mime: string; size: number; url: string }[];
}

/**
 * Opening a notice: the first opening records read_at and the reader once (VIEWED, the legally
 * relevant moment) — later openings change nothing. Another person's notice, a cancelled or
 * failed one all answer "no such notice".
 */
@Injectable()
export class OpenNoticeUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(AttachmentStore) private readonly store: AttachmentStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(owner: InboxOwner, noticeId: string): Promise<OpenedNotice> {
    return this.tx.run(async () => {
      const { notice, entry, first } = await this.markViewed(owner, noticeId);
      const agencyName = await this.notices.agencyName(notice.agency_id);
      const attachments = await this.notices.attachmentsOf(noticeId);
      return {
        noticeId,
        subject: notice.subject,
        body: notice.body,
        bodyFormat: notice.body_format,
        category: notice.category,
        dueDate: notice.due_date,
        sender: { agencyId: notice.agency_id, name: agencyName },
        state: entry.state,
        receivedAt: entry.created_at.toISOString(),
        readAt: entry.read_at!.toISOString(),
        readBy: entry.read_by!,
        firstOpening: first,
        attachments: attachments.map((a) => ({ ...a, url: `/inbox/${noticeId}/attachments/${a.sha256}` })),
      };
    });
  }

  /** Downloading an attachment is recorded (who, when, which file); it also opens the notice if it was not yet opened. */
  async download(owner: InboxOwner, noticeId: string, sha256: string): Promise<{ filename: string; mime: string; size: number; body: Readable }> {
    return this.tx.run(async () => {
      await this.markViewed(owner, noticeId);
      const attachments = await this.notices.attachmentsOf(noticeId);
      const attachment = attachments.find((a) => a.sha256 === sha256);
      if (!attachment) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_NOT_FOUND', 'not_found', 'No such attachment on this notice.');
      const now = this.clock.now();
      await this.notices.recordDownload({ noticeId, recipientId: owner.recipientId, sha256, reader: owner.reader, at: now });
      await this.recorder.facts(noticeId, [
        { noticeId, recipientId: owner.recipientId, action: 'ATTACHMENT_DOWNLOADED', actor: owner.reader, detail: { sha256, filename: attachment.filename }, at: now.toISOString() },
      ]);
      // Opened last (the bytes are streamed to the reader after the commit); missing → all of this rolls back.
      const stored = await this.store.open(sha256);
      if (!stored) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_NOT_FOUND', 'not_found', 'No such attachment on this notice.');
      return { filename: attachment.filename, mime: stored.mime, size: stored.size, body: stored.body };
    });
  }

  private async markViewed(owner: InboxOwner, noticeId: string): Promise<{ notice: NoticeRow; entry: EntryRow; first: boolean }> {
    // Notice row first, as cancelling does: opening and cancelling never interleave.
    if (!(await this.notices.lockNotice(noticeId))) throw noticeNotFound();
    const entry = await this.notices.entry(noticeId, owner.recipientId, true);
    if (!entry || !VISIBLE_STATES.includes(entry.state)) throw noticeNotFound();
    const notice = (await this.notices.findNotice(noticeId))!;
    if (entry.read_at) return { notice, entry, first: false };
    const now = this.clock.now();
    await this.notices.markViewed(noticeId, owner.recipientId, now, owner.reader);
    const batch = await this.notices.batchOfNotice(noticeId);
    await this.recorder.transitions({ noticeId, agencyId: notice.agency_id, batchId: batch?.batch_id ?? null }, [
      { recipientId: owner.recipientId, from: entry.state, to: 'VIEWED', actor: owner.reader, readerNationalCode: owner.reader },
    ], now);
    return { notice, entry: { ...entry, state: 'VIEWED', read_at: now, read_by: owner.reader }, first: true };
  }
}
