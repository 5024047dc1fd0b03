import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import type { RecipientState } from '../../notices/domain/recipient-state.js';
import { InboxRepository, type InboxItemRow } from '../domain/inbox.repository.js';
import type { InboxOwner } from './inbox-owner.js';

export interface InboxFilter {
  limit: number;
  cursor?: string;
  unread?: boolean;
  sender?: string;
  category?: string;
  from?: string;
  to?: string;
  q?: string;
  archived?: boolean;
  starred?: boolean;
}

export interface InboxItem {
  noticeId: string;
  subject: string;
  category: string;
  sender: { agencyId: string; name: string | null };
  state: RecipientState;
  receivedAt: string;
  readAt: string | null;
  dueDate: string | null;
  starred: boolean;
  acknowledgedAt: string | null;
  archivedAt: string | null;
  systemNotice: boolean;
}

const isPosition = (v: Record<string, unknown>): v is { t: string; id: string } => typeof v.t === 'string' && typeof v.id === 'string' && !Number.isNaN(Date.parse(v.t));

/**
 * The inbox, newest first, keyset-paginated on (created_at, notice_id): page N costs what
 * page 1 costs. Only visible entries (DELIVERED, VIEWED, EFFECTIVE) of the owner are ever read.
 */
@Injectable()
export class InboxQueries {
  constructor(@Inject(InboxRepository) private readonly inbox: InboxRepository) {}

  async list(owner: InboxOwner, f: InboxFilter): Promise<CursorPage<InboxItem>> {
    const after = f.cursor ? decodeCursor(f.cursor, isPosition) : null;
    const rows = await this.inbox.list(owner.recipientId, {
      after,
      unread: f.unread ?? null,
      sender: f.sender ?? null,
      category: f.category ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      q: f.q?.trim() ? f.q.trim() : null,
      archived: f.archived ?? false,
      starred: f.starred ?? null,
      limit: f.limit + 1,
    });
    return toCursorPage(rows, f.limit, (r) => ({ t: r.created_at.toISOString(), id: r.notice_id }), toItem);
  }

  /**
   * `list` with no filter, as the JSON text JSON.stringify(await list(owner, { limit, cursor }))
   * would give, the items serialised by the database (InboxFastPath: the inbox screen's request).
   */
  async listJson(owner: InboxOwner, limit: number, cursor: string | undefined): Promise<string> {
    const after = cursor ? decodeCursor(cursor, isPosition) : null;
    const page = await this.inbox.listPageJson(owner.recipientId, after, limit);
    return `{"items":${page.items},"nextCursor":${page.last ? JSON.stringify(encodeCursor(page.last)) : 'null'}}`;
  }

  async unreadCount(owner: InboxOwner): Promise<number> {
    return this.inbox.unreadCount(owner.recipientId);
  }
}

export function toItem(r: InboxItemRow): InboxItem {
  return {
    noticeId: r.notice_id,
    subject: r.subject,
    category: r.category,
    sender: { agencyId: r.agency_id, name: r.agency_name },
    state: r.state,
    receivedAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    dueDate: r.due_date,
    starred: r.starred,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    archivedAt: r.archived_at?.toISOString() ?? null,
    systemNotice: r.system_notice,
  };
}
