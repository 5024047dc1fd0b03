import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxRelay } from '@darvazeh/messaging';
import type { SenderAccessStatus } from '../../senders/domain/sender-access.js';
import { PgStatements } from '../../shared/persistence/pg-statements.js';
import { DirectSendStore, type DirectSendOutcome, type DirectSendWrite } from '../domain/direct-send.store.js';

/**
 * The admission and the whole write of a direct send in ONE statement (autocommitted when no
 * transaction is open: one round trip per send).
 *
 * - `l` takes `pg_try_advisory_xact_lock(agency, key)`; in an autocommitted statement the
 *   "transaction" is the statement, so the lock is held until its writes commit — the same
 *   guarantee as the lock taken in an explicit transaction.
 * - `k` reads the stored record, `s` the sender, `FOR SHARE` (a suspension waits for this send;
 *   the next send sees it) — both only when the lock was taken.
 * - `ik` inserts the idempotency record only when the lock was taken, no record was seen and
 *   the sender may send; every other write selects FROM `ik` (through `nn`), so when `ik`
 *   inserts nothing the statement writes nothing. `ON CONFLICT DO NOTHING` catches a record
 *   committed by the lock's previous holder after this statement's snapshot (which was taken
 *   before the lock): the caller answers 409 and the retry replays.
 * - The notice row carries the chain head (the last audit entry), so later appends continue it.
 */
const SEND_SQL = `
WITH l AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, 7)) AS ok),
k AS (SELECT request_hash, response_status, response_body FROM l, idempotency_keys
       WHERE l.ok AND agency_id = $1::uuid AND key = $2::text),
s AS (SELECT se.status, coalesce(a.disabled, false) AS disabled, se.callback_url
        FROM l, senders se LEFT JOIN agencies a ON a.agency_id = se.agency_id
       WHERE l.ok AND se.agency_id = $1::uuid FOR SHARE OF se),
ik AS (INSERT INTO idempotency_keys (agency_id, key, request_hash, response_status, response_body)
       SELECT $1::uuid, $2::text, $3, $4, $5::jsonb FROM s
        WHERE s.status = 'GRANTED' AND NOT s.disabled AND NOT EXISTS (SELECT 1 FROM k)
       ON CONFLICT DO NOTHING RETURNING 1 AS one),
nn AS (INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, due_date, recipient_count, system_notice, created_at, audit_seq, audit_head)
       SELECT $6::uuid, $1::uuid, $7, $8, $9, $10, $11::date, $12, false, $13::timestamptz, $14, $15 FROM ik RETURNING notice_id),
att AS (INSERT INTO notice_attachments (notice_id, position, sha256, filename)
        SELECT nn.notice_id, t.ord, t.sha, t.name FROM nn, unnest($16::char(64)[], $17::text[]) WITH ORDINALITY AS t(sha, name, ord)),
ent AS (INSERT INTO inbox_entries (notice_id, recipient_id, state, created_at, delivered_at, failed_reason)
        SELECT nn.notice_id, t.rid, t.state, $13::timestamptz, CASE WHEN t.state = 'DELIVERED' THEN $13::timestamptz END, t.reason
          FROM nn, unnest($18::varchar[], $19::text[], $20::text[]) AS t(rid, state, reason)),
aud AS (INSERT INTO audit_log (notice_id, seq, recipient_id, action, actor, detail, at, prev_hash, hash)
        SELECT nn.notice_id, t.* FROM nn, unnest($21::bigint[], $22::varchar[], $23::text[], $24::text[], $25::jsonb[], $26::text[], $27::char(64)[], $28::char(64)[]) AS t),
ob AS (INSERT INTO outbox (event_id, topic, key, type, source, headers, payload, occurred_at)
       SELECT t.id, t.topic, $6::text, t.type, $29, '{}'::jsonb, t.payload, $13::timestamptz
         FROM nn, unnest($30::uuid[], $31::text[], $32::text[], $33::jsonb[]) AS t(id, topic, type, payload)),
wh AS (INSERT INTO webhook_deliveries (agency_id, event_id, event_type, payload, status, next_attempt_at)
       SELECT $1::uuid, t.id, t.type, t.payload, 'PENDING', $13::timestamptz
         FROM nn, s, unnest($30::uuid[], $32::text[], $33::jsonb[], $34::boolean[]) AS t(id, type, payload, hook)
        WHERE t.hook AND s.callback_url IS NOT NULL),
job AS (INSERT INTO notification_jobs (notice_id) SELECT nn.notice_id FROM nn WHERE $35::boolean)
SELECT l.ok, k.request_hash, k.response_status, k.response_body, s.status, s.disabled, (SELECT count(*) FROM ik)::int AS written
  FROM l LEFT JOIN k ON true LEFT JOIN s ON true`;

interface SendRow {
  ok: boolean;
  request_hash: string | null;
  response_status: number | null;
  response_body: unknown;
  status: SenderAccessStatus | null;
  disabled: boolean | null;
  written: number;
}

@Injectable()
export class PgDirectSendStore extends DirectSendStore {
  constructor(
    @Inject(PgStatements) private readonly db: PgStatements,
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {
    super();
  }

  override async knownCitizens(nationalCodes: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ national_code: string }>('SELECT national_code FROM citizens WHERE national_code = ANY($1::varchar[])', [nationalCodes]);
    return new Set(rows.map((r) => r.national_code));
  }

  override async admitAndWrite(w: DirectSendWrite): Promise<DirectSendOutcome> {
    const n = w.notice;
    const head = w.audit[w.audit.length - 1];
    const [r] = await this.db.query<SendRow>(SEND_SQL, [
      w.agencyId,
      w.idempotencyKey,
      w.record.requestHash,
      w.record.responseStatus,
      JSON.stringify(w.record.responseBody),
      n.noticeId,
      n.content.subject,
      n.content.body,
      n.content.bodyFormat,
      n.content.category,
      n.content.dueDate,
      n.recipientCount,
      n.at.toISOString(),
      head.seq,
      head.hash,
      w.attachments.map((a) => a.sha256),
      w.attachments.map((a) => a.filename),
      w.entries.map((e) => e.recipientId),
      w.entries.map((e) => e.state),
      w.entries.map((e) => e.failedReason),
      w.audit.map((e) => e.seq),
      w.audit.map((e) => e.recipientId),
      w.audit.map((e) => e.action),
      w.audit.map((e) => e.actor),
      w.audit.map((e) => (e.detail ? JSON.stringify(e.detail) : null)),
      w.audit.map((e) => e.at),
      w.audit.map((e) => e.prevHash),
      w.audit.map((e) => e.hash),
      w.source,
      w.events.map((e) => e.eventId),
      w.events.map((e) => e.topic),
      w.events.map((e) => e.type),
      w.events.map((e) => e.payload),
      [...w.webhook],
      w.notify,
    ]);
    if (!r.ok) return { kind: 'in-flight' };
    if (r.request_hash !== null) return { kind: 'recorded', record: { requestHash: r.request_hash, responseStatus: r.response_status!, responseBody: r.response_body } };
    if (r.status !== 'GRANTED' || r.disabled) return { kind: 'refused', senderStatus: r.status === null ? null : r.disabled ? 'SUSPENDED' : r.status };
    if (r.written === 0) return { kind: 'raced' };
    // Outbox rows are committed (or will be with the caller's transaction): wake the relay then.
    if (w.events.length > 0) this.tx.afterCommit(() => this.relay.nudge());
    return { kind: 'written' };
  }
}
