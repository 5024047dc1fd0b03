import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  ContractCatalog,
  NOTICE_RECIPIENT_ACCEPTED_V1,
  NOTICE_RECIPIENT_CANCELLED_V1,
  NOTICE_RECIPIENT_DELIVERED_V1,
  NOTICE_RECIPIENT_EFFECTIVE_V1,
  NOTICE_RECIPIENT_FAILED_V1,
  NOTICE_RECIPIENT_VIEWED_V1,
  type NoticeRecipientTransitionV1,
} from '@darvazeh/contracts';
import { InvalidEventPayloadError } from '@darvazeh/messaging';
import { AuditLogRepository } from '../../audit/domain/audit-log.repository.js';
import { GENESIS_HASH, chain, type AuditEntry, type AuditFact } from '../../audit/domain/hash-chain.js';
import { recipientKindOf } from '../../shared/domain/recipient-id.js';
import { NoticeOutbox, type SerializedNoticeEvent } from '../domain/notice-outbox.js';
import { transition, type RecipientState } from '../domain/recipient-state.js';

export const KARPOOSHEH_SOURCE = '/darvazeh/karpoosheh';

const TYPE_OF: Record<RecipientState, string> = {
  ACCEPTED: NOTICE_RECIPIENT_ACCEPTED_V1,
  DELIVERED: NOTICE_RECIPIENT_DELIVERED_V1,
  VIEWED: NOTICE_RECIPIENT_VIEWED_V1,
  EFFECTIVE: NOTICE_RECIPIENT_EFFECTIVE_V1,
  CANCELLED: NOTICE_RECIPIENT_CANCELLED_V1,
  FAILED: NOTICE_RECIPIENT_FAILED_V1,
};

export interface RecipientTransition {
  recipientId: string;
  from: RecipientState | null;
  to: RecipientState;
  actor: string;
  readerNationalCode?: string | null;
  reason?: string | null;
}

export interface NoticeRef {
  noticeId: string;
  agencyId: string;
  batchId: string | null;
}

export interface OutgoingNoticeEvent {
  type: string;
  data: object;
  /** Also POSTed to the agency's callback URL, if it registered one. */
  webhook: boolean;
}

export interface TransitionOptions {
  events?: boolean;
  webhooks?: boolean;
  detail?: Record<string, unknown>;
  freshNotice?: boolean;
  callbackUrl?: string | null;
}

/** Audit entries and events of a new notice, ready to be written (see prepareForNewNotice). */
export interface PreparedRecord {
  audit: AuditEntry[];
  events: SerializedNoticeEvent[];
  /** Per event: also POSTed to the agency's callback URL, if it registered one. */
  webhook: boolean[];
}

/**
 * Records what happened to a notice, in the caller's transaction (through the audit and outbox ports): audit entries (hash chain),
 * events in the outbox and webhook deliveries for the agency. Bulk-sized: rows go in with one
 * unnest INSERT per table, not a statement per recipient.
 */
@Injectable()
export class TransitionRecorder {
  constructor(
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(NoticeOutbox) private readonly outbox: NoticeOutbox,
    @Inject(ContractCatalog) private readonly catalog: ContractCatalog,
  ) {}

  /**
   * Per-recipient transitions (each checked against the state machine). `events: false` skips
   * the per-recipient events (a batch summarised by batch.completed); the audit is always written.
   */
  async transitions(notice: NoticeRef, moves: readonly RecipientTransition[], at: Date, options: TransitionOptions = {}): Promise<void> {
    if (moves.length === 0) return;
    const { facts, events } = this.describe(notice, moves, at, options);
    await this.audit.append(notice.noticeId, facts, options.freshNotice ? { seq: 0, hash: GENESIS_HASH } : undefined);
    await this.events(notice, events, at, options.callbackUrl);
  }

  /**
   * What `transitions` on a notice created now would write, without writing it: the audit
   * entries chained from the genesis and the serialised events (payloads checked against their
   * contracts), for a caller that writes them itself in one statement (SendNoticeUseCase).
   */
  prepareForNewNotice(notice: NoticeRef, moves: readonly RecipientTransition[], at: Date, options: TransitionOptions = {}): PreparedRecord {
    const { facts, events } = this.describe(notice, moves, at, options);
    const rows = this.serialise(events);
    return {
      audit: chain({ seq: 0, hash: GENESIS_HASH }, facts),
      events: rows,
      webhook: rows.map((_, i) => events[i].webhook),
    };
  }

  private describe(notice: NoticeRef, moves: readonly RecipientTransition[], at: Date, options: TransitionOptions): { facts: AuditFact[]; events: OutgoingNoticeEvent[] } {
    const iso = at.toISOString();
    const facts: AuditFact[] = [];
    const events: OutgoingNoticeEvent[] = [];
    const withEvents = options.events ?? true;
    for (const m of moves) {
      if (m.from !== null) transition(m.from, m.to);
      const detail: Record<string, unknown> = { ...(options.detail ?? {}) };
      if (m.readerNationalCode) detail.reader = m.readerNationalCode;
      if (m.reason) detail.reason = m.reason;
      facts.push({ noticeId: notice.noticeId, recipientId: m.recipientId, action: m.to, actor: m.actor, detail: Object.keys(detail).length ? detail : null, at: iso });
      if (!withEvents) continue;
      const data: NoticeRecipientTransitionV1 = {
        noticeId: notice.noticeId,
        batchId: notice.batchId,
        agencyId: notice.agencyId,
        recipientId: m.recipientId,
        recipientKind: recipientKindOf(m.recipientId),
        state: m.to,
        previousState: m.from,
        readerNationalCode: m.readerNationalCode ?? null,
        reason: m.reason ?? null,
        at: iso,
      };
      events.push({ type: TYPE_OF[m.to], data, webhook: options.webhooks ?? true });
    }
    return { facts, events };
  }

  /** Checks payloads against their contracts and gives each event its id and topic. */
  private serialise(events: readonly OutgoingNoticeEvent[]): SerializedNoticeEvent[] {
    // Every payload is checked for small sets; a bulk set shares one shape, so a sample suffices.
    const toCheck = events.length <= 200 ? events : [events[0], events[events.length - 1]];
    for (const e of toCheck) {
      const v = this.catalog.validate(e.type, e.data);
      if (!v.valid) throw new InvalidEventPayloadError(e.type, v.errors);
    }
    return events.map((e) => ({ eventId: uuidv7(), topic: this.catalog.topicOf(e.type), type: e.type, payload: JSON.stringify(e.data) }));
  }

  /** Notice-level audit facts (created, batch accepted, attachment downloaded). */
  async facts(noticeId: string, facts: readonly AuditFact[]): Promise<void> {
    await this.audit.append(noticeId, facts);
  }

  /** Events for the outbox (key = noticeId) and the agency's webhook queue. */
  /** `callbackUrl`: the sender's, when the caller already read it (undefined: looked up here). */
  async events(notice: NoticeRef, events: readonly OutgoingNoticeEvent[], at: Date, callbackUrl?: string | null): Promise<void> {
    if (events.length === 0) return;
    const iso = at.toISOString();
    const rows = this.serialise(events);
    await this.outbox.append(notice.noticeId, KARPOOSHEH_SOURCE, iso, rows);
    const hooked = rows.filter((_, i) => events[i].webhook);
    if (hooked.length === 0) return;
    const url = callbackUrl === undefined ? await this.outbox.callbackUrlOf(notice.agencyId) : callbackUrl;
    if (!url) return;
    await this.outbox.queueWebhooks(notice.agencyId, iso, hooked);
  }
}
