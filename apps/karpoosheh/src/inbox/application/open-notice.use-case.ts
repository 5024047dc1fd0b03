import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { AttachmentStore } from '../../attachments/domain/attachment-store.js';
import { NoticesRepository, type EntryRow, type NoticeRow } from '../../notices/persistence/notices.repository.js';
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
    @Inject(NoticesRepository) private readonly notices: NoticesRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(AttachmentStore) private readonly store: AttachmentStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(owner: InboxOwner, noticeId: string): Promise<OpenedNotice> {
    return this.tx.run(async (m) => {
      const { notice, entry, first } = await this.markViewed(m, owner, noticeId);
      const agency: { name: string }[] = await m.query('SELECT name FROM agencies WHERE agency_id = $1', [notice.agency_id]);
      const attachments = await this.notices.attachmentsOf(m, noticeId);
      return {
        noticeId,
        subject: notice.subject,
        body: notice.body,
        bodyFormat: notice.body_format,
        category: notice.category,
        dueDate: notice.due_date,
        sender: { agencyId: notice.agency_id, name: agency[0]?.name ?? null },
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
  async download(owner: InboxOwner, noticeId: string, sha256: string): Promise<{ filename: string; mime: string; bytes: Buffer }> {
    return this.tx.run(async (m) => {
      await this.markViewed(m, owner, noticeId);
      const attachments = await this.notices.attachmentsOf(m, noticeId);
      const attachment = attachments.find((a) => a.sha256 === sha256);
      if (!attachment) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_NOT_FOUND', 'not_found', 'No such attachment on this notice.');
      const stored = await this.store.get(sha256);
      if (!stored) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_NOT_FOUND', 'not_found', 'No such attachment on this notice.');
      const now = this.clock.now();
      await m.query('INSERT INTO attachment_downloads (notice_id, recipient_id, sha256, reader, at) VALUES ($1, $2, $3, $4, $5)', [noticeId, owner.recipientId, sha256, owner.reader, now]);
      await this.recorder.facts(m, noticeId, [
        { noticeId, recipientId: owner.recipientId, action: 'ATTACHMENT_DOWNLOADED', actor: owner.reader, detail: { sha256, filename: attachment.filename }, at: now.toISOString() },
      ]);
      return { filename: attachment.filename, mime: stored.mime, bytes: stored.bytes };
    });
  }

  private async markViewed(m: EntityManager, owner: InboxOwner, noticeId: string): Promise<{ notice: NoticeRow; entry: EntryRow; first: boolean }> {
    // Notice row first, as cancelling does: opening and cancelling never interleave.
    const locked: unknown[] = await m.query('SELECT 1 FROM notices WHERE notice_id = $1 FOR UPDATE', [noticeId]);
    if (locked.length === 0) throw noticeNotFound();
    const entry = await this.notices.entry(m, noticeId, owner.recipientId, true);
    if (!entry || !VISIBLE_STATES.includes(entry.state)) throw noticeNotFound();
    const notice = (await this.notices.findNotice(m, noticeId))!;
    if (entry.read_at) return { notice, entry, first: false };
    const now = this.clock.now();
    await m.query(`UPDATE inbox_entries SET state = 'VIEWED', read_at = $3, read_by = $4 WHERE notice_id = $1 AND recipient_id = $2`, [noticeId, owner.recipientId, now, owner.reader]);
    const batch = await this.notices.batchOfNotice(m, noticeId);
    await this.recorder.transitions(m, { noticeId, agencyId: notice.agency_id, batchId: batch?.batch_id ?? null }, [
      { recipientId: owner.recipientId, from: entry.state, to: 'VIEWED', actor: owner.reader, readerNationalCode: owner.reader },
    ], now);
    return { notice, entry: { ...entry, state: 'VIEWED', read_at: now, read_by: owner.reader }, first: true };
  }
}
