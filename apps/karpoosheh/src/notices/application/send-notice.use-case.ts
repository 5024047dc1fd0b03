import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { NOTICE_BATCH_ACCEPTED_V1, type NoticeBatchAcceptedV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { checkNoticeTotal, type AttachmentLimits } from '../../attachments/domain/attachment-policy.js';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { assertMaySend } from '../../senders/domain/sender-access.js';
import { SendersRepository } from '../../senders/persistence/senders.repository.js';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, invalid } from '../../shared/domain/karpoosheh.errors.js';
import { parseRecipientList } from '../../shared/domain/recipient-id.js';
import { IdempotencyKeyInFlightError, decideIdempotency, type IdempotencyRecord } from '../domain/idempotency.js';
import { noticeContent, type BodyFormat, type NoticeContent } from '../domain/notice-content.js';
import { NoticesRepository, type AttachmentRef } from '../persistence/notices.repository.js';
import { TransitionRecorder } from './transition-recorder.js';

export interface SendNoticeInput {
  agencyId: string;
  /** Token subject of the caller (audit actor). */
  actor: string;
  idempotencyKey: string;
  /** Fingerprint of the request as sent (idempotency: same key + same body). */
  requestHash: string;
  recipients: readonly string[];
  subject: string;
  body: string;
  bodyFormat: BodyFormat;
  category: string;
  dueDate?: string | null;
  attachments?: readonly AttachmentRef[];
}

export interface SendNoticeResult {
  status: 201 | 202;
  body: Record<string, unknown>;
  replayed: boolean;
}

/**
 * One notice to one or many recipients, all or nothing. Up to SYNC_FANOUT_LIMIT recipients it
 * is delivered in this transaction (201, each recipient's state); above it, a batch is stored and
 * answered 202 — the fan-out worker writes the inbox entries. The idempotency record, notice,
 * entries, audit and outbox rows commit together; a transaction-scoped advisory lock on
 * (agency, key) makes a concurrent duplicate a 409 instead of a second notice.
 */
@Injectable()
export class SendNoticeUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticesRepository) private readonly notices: NoticesRepository,
    @Inject(SendersRepository) private readonly senders: SendersRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async execute(input: SendNoticeInput): Promise<SendNoticeResult> {
    const content = noticeContent(input);
    const { recipients } = parseRecipientList(input.recipients, this.env.MAX_RECIPIENTS_PER_NOTICE);
    const attachments = input.attachments ?? [];
    return this.tx.run(async (m) => {
      const locked: { ok: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7)) AS ok`, [input.agencyId, input.idempotencyKey]);
      if (!locked[0].ok) throw new IdempotencyKeyInFlightError();
      const existing: { request_hash: string; response_status: number; response_body: unknown }[] = await m.query(
        'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE agency_id = $1 AND key = $2',
        [input.agencyId, input.idempotencyKey],
      );
      const record: IdempotencyRecord | null = existing[0]
        ? { requestHash: existing[0].request_hash, responseStatus: existing[0].response_status, responseBody: existing[0].response_body }
        : null;
      const decision = decideIdempotency(record, input.requestHash);
      if (decision.kind === 'replay') return { status: decision.status as 201 | 202, body: decision.body as Record<string, unknown>, replayed: true };

      const sender = await this.senders.forSend(m, input.agencyId);
      assertMaySend(sender.status);
      await this.checkAttachments(m, input.agencyId, attachments);
      const ids = recipients.map((r) => r.id);
      const result =
        ids.length <= this.env.SYNC_FANOUT_LIMIT
          ? await this.sendNow(m, input, content, ids, attachments, sender.callbackUrl)
          : await this.accept(m, input, content, ids, attachments);
      await m.query('INSERT INTO idempotency_keys (agency_id, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5)', [
        input.agencyId,
        input.idempotencyKey,
        input.requestHash,
        result.status,
        JSON.stringify(result.body),
      ]);
      return { ...result, replayed: false };
    });
  }

  private async sendNow(m: EntityManager, input: SendNoticeInput, content: NoticeContent, recipients: string[], attachments: readonly AttachmentRef[], callbackUrl: string | null) {
    const now = this.clock.now();
    const noticeId = uuidv7();
    await this.notices.insertNotice(m, { noticeId, agencyId: input.agencyId, content, recipientCount: recipients.length, system: false, at: now }, attachments);
    const placed = await this.notices.deliver(m, noticeId, recipients, now, this.env.RECIPIENT_DIRECTORY);
    const ref = { noticeId, agencyId: input.agencyId, batchId: null };
    // One append for both steps: a single-recipient send is ~10 statements, not ~15.
    await this.recorder.transitions(
      m,
      ref,
      [
        ...recipients.map((r) => ({ recipientId: r, from: null, to: 'ACCEPTED' as const, actor: input.actor })),
        ...placed.map((p) => ({ recipientId: p.recipient_id, from: 'ACCEPTED' as const, to: p.state, actor: 'system', reason: p.state === 'FAILED' ? 'RECIPIENT_UNKNOWN' : null })),
      ],
      now,
      { freshNotice: true, callbackUrl },
    );
    if (placed.some((p) => p.state === 'DELIVERED')) await this.notices.queueNotifications(m, noticeId);
    const states = new Map(placed.map((p) => [p.recipient_id, p.state]));
    return {
      status: 201 as const,
      body: {
        noticeId,
        batchId: null,
        createdAt: now.toISOString(),
        recipientCount: recipients.length,
        recipients: recipients.map((r) => ({ recipientId: r, state: states.get(r) ?? 'ACCEPTED' })),
      },
    };
  }

  private async accept(m: EntityManager, input: SendNoticeInput, content: NoticeContent, recipients: string[], attachments: readonly AttachmentRef[]) {
    const now = this.clock.now();
    const noticeId = uuidv7();
    const batchId = uuidv7();
    await this.notices.insertNotice(m, { noticeId, agencyId: input.agencyId, content, recipientCount: recipients.length, system: false, at: now }, attachments);
    await this.notices.insertBatch(m, { batchId, noticeId, agencyId: input.agencyId, recipients, at: now }, this.env.FANOUT_CHUNK_SIZE);
    // One audit fact covers every recipient's ACCEPTED: the digest binds the exact list.
    const digest = createHash('sha256').update(recipients.join('\n')).digest('hex');
    await this.recorder.facts(m, noticeId, [
      { noticeId, recipientId: null, action: 'BATCH_ACCEPTED', actor: input.actor, detail: { batchId, recipientCount: recipients.length, recipientsSha256: digest }, at: now.toISOString() },
    ]);
    const data: NoticeBatchAcceptedV1 = { batchId, noticeId, agencyId: input.agencyId, recipientCount: recipients.length, acceptedAt: now.toISOString() };
    await this.recorder.events(m, { noticeId, agencyId: input.agencyId, batchId }, [{ type: NOTICE_BATCH_ACCEPTED_V1, data, webhook: true }], now);
    return {
      status: 202 as const,
      body: { noticeId, batchId, createdAt: now.toISOString(), recipientCount: recipients.length, status: 'PENDING', progressUrl: `/batches/${batchId}` },
    };
  }

  private async checkAttachments(m: EntityManager, agencyId: string, attachments: readonly AttachmentRef[]): Promise<void> {
    if (attachments.length === 0) return;
    const shas = attachments.map((a) => a.sha256);
    const rows: { sha256: string; size: number }[] = await m.query(
      `SELECT a.sha256, a.size FROM attachment_uploads u JOIN attachments a USING (sha256) WHERE u.agency_id = $1 AND u.sha256 = ANY($2::char(64)[])`,
      [agencyId, shas],
    );
    const sizes = new Map(rows.map((r) => [r.sha256, r.size]));
    const missing = attachments.map((a, i) => ({ a, i })).filter(({ a }) => !sizes.has(a.sha256));
    if (missing.length > 0) {
      throw invalid(
        'KARPOOSHEH.ATTACHMENT_UNKNOWN',
        'Some attachments were not uploaded by your agency; upload them with POST /attachments first.',
        missing.map(({ i }) => ({ field: `attachments[${i}].sha256`, message: 'not uploaded by this agency' })),
      );
    }
    const limits: AttachmentLimits = {
      maxFileBytes: this.env.MAX_ATTACHMENT_BYTES,
      maxNoticeBytes: this.env.MAX_NOTICE_ATTACHMENT_BYTES,
      maxFilesPerNotice: this.env.MAX_ATTACHMENTS_PER_NOTICE,
      allowedMimeTypes: this.env.ATTACHMENT_MIME_TYPES,
    };
    if (new Set(shas).size !== shas.length) throw new KarpooshehError('KARPOOSHEH.ATTACHMENT_DUPLICATE', 'invalid', 'The same file is attached twice.');
    checkNoticeTotal(attachments.map((a) => sizes.get(a.sha256)!), limits);
  }
}
