import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import { noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import { isRecipientState, type RecipientState } from '../domain/recipient-state.js';
import { NoticeRepository, type EntryRow } from '../domain/notice.repository.js';

export interface RecipientStatusView {
  recipientId: string;
  state: RecipientState;
  deliveredAt: string | null;
  readAt: string | null;
  readBy: string | null;
  effectiveAt: string | null;
  cancelledAt: string | null;
  failedReason: string | null;
}

export function recipientStatus(e: EntryRow): RecipientStatusView {
  return {
    recipientId: e.recipient_id,
    state: e.state,
    deliveredAt: e.delivered_at?.toISOString() ?? null,
    readAt: e.read_at?.toISOString() ?? null,
    readBy: e.read_by,
    effectiveAt: e.effective_at?.toISOString() ?? null,
    cancelledAt: e.cancelled_at?.toISOString() ?? null,
    failedReason: e.failed_reason,
  };
}

/** What a sender may see of its own notices (another agency's notice is a 404, like a missing one). */
@Injectable()
export class SenderNoticeQueries {
  constructor(@Inject(NoticeRepository) private readonly notices: NoticeRepository) {}

  async notice(agencyId: string, noticeId: string) {
    const n = await this.notices.findNotice(noticeId);
    if (!n || n.agency_id !== agencyId) throw noticeNotFound();
    const counts = await this.notices.stateCounts(noticeId);
    const batch = await this.notices.batchOfNotice(noticeId);
    return {
      noticeId: n.notice_id,
      subject: n.subject,
      category: n.category,
      dueDate: n.due_date,
      createdAt: n.created_at.toISOString(),
      recipientCount: n.recipient_count,
      states: Object.fromEntries(counts.map((c) => [c.state, c.n])),
      batch: batch ? batchView(batch) : null,
      attachments: await this.notices.attachmentsOf(noticeId),
    };
  }

  async recipients(agencyId: string, noticeId: string, q: { limit: number; cursor?: string; state?: string }): Promise<CursorPage<RecipientStatusView>> {
    const n = await this.notices.findNotice(noticeId);
    if (!n || n.agency_id !== agencyId) throw noticeNotFound();
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { r: string } => typeof v.r === 'string').r : '';
    const state = q.state && isRecipientState(q.state) ? q.state : null;
    const rows = await this.notices.recipientsPage(noticeId, after, state, q.limit + 1);
    return toCursorPage(rows, q.limit, (r) => ({ r: r.recipient_id }), recipientStatus);
  }

  async recipient(agencyId: string, noticeId: string, recipientId: string): Promise<RecipientStatusView> {
    const n = await this.notices.findNotice(noticeId);
    if (!n || n.agency_id !== agencyId) throw noticeNotFound();
    const e = await this.notices.entry(noticeId, recipientId);
    if (!e) throw noticeNotFound();
    return recipientStatus(e);
  }

  async batch(agencyId: string, batchId: string) {
    const b = await this.notices.batch(batchId);
    if (!b || b.agency_id !== agencyId) throw noticeNotFound();
    return batchView(b);
  }

  async list(agencyId: string, q: { limit: number; cursor?: string }) {
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { t: string; id: string } => typeof v.t === 'string' && typeof v.id === 'string') : null;
    const rows = await this.notices.listByAgency(agencyId, after, q.limit + 1);
    return toCursorPage(rows, q.limit, (r) => ({ t: r.created_at.toISOString(), id: r.notice_id }), (r) => ({
      noticeId: r.notice_id,
      subject: r.subject,
      category: r.category,
      createdAt: r.created_at.toISOString(),
      recipientCount: r.recipient_count,
    }));
  }
}

export function batchView(b: { batch_id: string; notice_id: string; status: string; total: number; processed: number; delivered: number; failed: number; created_at: Date; completed_at: Date | null }) {
  return {
    batchId: b.batch_id,
    noticeId: b.notice_id,
    status: b.status,
    total: b.total,
    processed: b.processed,
    delivered: b.delivered,
    failed: b.failed,
    progress: b.total === 0 ? 1 : Math.round((b.processed / b.total) * 1000) / 1000,
    createdAt: b.created_at.toISOString(),
    completedAt: b.completed_at?.toISOString() ?? null,
  };
}
