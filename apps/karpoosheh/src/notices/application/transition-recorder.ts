import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
import { InvalidEventPayloadError, OUTBOX_WRITTEN } from '@darvazeh/messaging';
import { AuditLogRepository } from '../../audit/persistence/audit-log.repository.js';
import { GENESIS_HASH, type AuditFact } from '../../audit/domain/hash-chain.js';
import { recipientKindOf } from '../../shared/domain/recipient-id.js';
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

/**
 * Records what happened to a notice, in the caller's transaction: audit entries (hash chain),
 * events in the outbox and webhook deliveries for the agency. Bulk-sized: rows go in with one
 * unnest INSERT per table, not a statement per recipient.
 */
@Injectable()
export class TransitionRecorder {
  constructor(
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(ContractCatalog) private readonly catalog: ContractCatalog,
  ) {}

  /**
   * Per-recipient transitions (each checked against the state machine). `events: false` skips
   * the per-recipient events (a batch summarised by batch.completed); the audit is always written.
   */
  async transitions(manager: EntityManager, notice: NoticeRef, moves: readonly RecipientTransition[], at: Date, options: { events?: boolean; webhooks?: boolean; detail?: Record<string, unknown>; freshNotice?: boolean; callbackUrl?: string | null } = {}): Promise<void> {
    if (moves.length === 0) return;
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
    await this.audit.append(manager, notice.noticeId, facts, options.freshNotice ? { seq: 0, hash: GENESIS_HASH } : undefined);
    await this.events(manager, notice, events, at, options.callbackUrl);
  }

  /** Notice-level audit facts (created, batch accepted, attachment downloaded). */
  async facts(manager: EntityManager, noticeId: string, facts: readonly AuditFact[]): Promise<void> {
    await this.audit.append(manager, noticeId, facts);
  }

  /** Events for the outbox (key = noticeId) and the agency's webhook queue. */
  /** `callbackUrl`: the sender's, when the caller already read it (undefined: looked up here). */
  async events(manager: EntityManager, notice: NoticeRef, events: readonly OutgoingNoticeEvent[], at: Date, callbackUrl?: string | null): Promise<void> {
    if (events.length === 0) return;
    // Every payload is checked for small sets; a bulk set shares one shape, so a sample suffices.
    const toCheck = events.length <= 200 ? events : [events[0], events[events.length - 1]];
    for (const e of toCheck) {
      const v = this.catalog.validate(e.type, e.data);
      if (!v.valid) throw new InvalidEventPayloadError(e.type, v.errors);
    }
    const iso = at.toISOString();
    const ids: string[] = [];
    const topics: string[] = [];
    const types: string[] = [];
    const payloads: string[] = [];
    for (const e of events) {
      ids.push(uuidv7());
      topics.push(this.catalog.topicOf(e.type));
      types.push(e.type);
      payloads.push(JSON.stringify(e.data));
    }
    await manager.query(
      `INSERT INTO outbox (event_id, topic, key, type, source, headers, payload, occurred_at)
       SELECT id, topic, $1, type, $2, '{}'::jsonb, payload, $3 FROM unnest($4::uuid[], $5::text[], $6::text[], $7::jsonb[]) AS t(id, topic, type, payload)`,
      [notice.noticeId, KARPOOSHEH_SOURCE, iso, ids, topics, types, payloads],
    );
    if (manager.queryRunner) manager.queryRunner.data[OUTBOX_WRITTEN] = true;
    const hooked = events.map((e, i) => ({ e, i })).filter(({ e }) => e.webhook);
    if (hooked.length === 0) return;
    let url = callbackUrl;
    if (url === undefined) {
      const senders: { callback_url: string | null }[] = await manager.query('SELECT callback_url FROM senders WHERE agency_id = $1', [notice.agencyId]);
      url = senders[0]?.callback_url ?? null;
    }
    if (!url) return;
    await manager.query(
      `INSERT INTO webhook_deliveries (agency_id, event_id, event_type, payload, status, next_attempt_at)
       SELECT $1, id, type, payload, 'PENDING', $2 FROM unnest($3::uuid[], $4::text[], $5::jsonb[]) AS t(id, type, payload)`,
      [notice.agencyId, iso, hooked.map(({ i }) => ids[i]), hooked.map(({ i }) => types[i]), hooked.map(({ i }) => payloads[i])],
    );
  }
}
