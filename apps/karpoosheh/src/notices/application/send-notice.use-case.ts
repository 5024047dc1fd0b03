import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { NOTICE_BATCH_ACCEPTED_V1, type NoticeBatchAcceptedV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { checkNoticeTotal, type AttachmentLimits } from '../../attachments/domain/attachment-policy.js';
import { AttachmentUploads } from '../../attachments/domain/attachment-uploads.js';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { assertMaySend } from '../../senders/domain/sender-access.js';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, invalid } from '../../shared/domain/karpoosheh.errors.js';
import { parseRecipientList } from '../../shared/domain/recipient-id.js';
import { IdempotencyKeyInFlightError, decideIdempotency } from '../domain/idempotency.js';
import { IdempotencyStore } from '../domain/idempotency.store.js';
import { SendAdmission } from '../domain/send-admission.js';
import { noticeContent, type BodyFormat, type NoticeContent } from '../domain/notice-content.js';
import { NoticeRepository, type AttachmentRef } from '../domain/notice.repository.js';
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
 * entries, audit and outbox rows commit together; the idempotency store's lock on (agency, key)
 * (a transaction-scoped advisory lock) makes a concurrent duplicate a 409 instead of a second notice.
 */
@Injectable()
export class SendNoticeUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(SendAdmission) private readonly admission: SendAdmission,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(AttachmentUploads) private readonly uploads: AttachmentUploads,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async execute(input: SendNoticeInput): Promise<SendNoticeResult> {
    const content = noticeContent(input);
    const { recipients } = parseRecipientList(input.recipients, this.env.MAX_RECIPIENTS_PER_NOTICE);
    const attachments = input.attachments ?? [];
    return this.tx.run(async () => {
      // Idempotency lock + record and the sender's access: one read.
      const { locked, record, sender } = await this.admission.admit(input.agencyId, input.idempotencyKey);
      if (!locked) throw new IdempotencyKeyInFlightError();
      const decision = decideIdempotency(record, input.requestHash);
      if (decision.kind === 'replay') return { status: decision.status as 201 | 202, body: decision.body as Record<string, unknown>, replayed: true };

      assertMaySend(sender.status);
      await this.checkAttachments(input.agencyId, attachments);
      const ids = recipients.map((r) => r.id);
      const result =
        ids.length <= this.env.SYNC_FANOUT_LIMIT
          ? await this.sendNow(input, content, ids, attachments, sender.callbackUrl)
          : await this.accept(input, content, ids, attachments);
      const saved = await this.idempotency.save(input.agencyId, input.idempotencyKey, { requestHash: input.requestHash, responseStatus: result.status, responseBody: result.body });
      // The same request committed meanwhile (between our lock and this insert): roll this one
      // back; the retry replays the stored answer.
      if (!saved) throw new IdempotencyKeyInFlightError();
      return { ...result, replayed: false };
    });
  }

  private async sendNow(input: SendNoticeInput, content: NoticeContent, recipients: string[], attachments: readonly AttachmentRef[], callbackUrl: string | null) {
    const now = this.clock.now();
    const noticeId = uuidv7();
    // Notice, attachments, entries and (if any was delivered) the notification job: one statement.
    const placed = await this.notices.insertDelivered({ noticeId, agencyId: input.agencyId, content, recipientCount: recipients.length, system: false, at: now }, attachments, recipients, this.env.RECIPIENT_DIRECTORY);
    const ref = { noticeId, agencyId: input.agencyId, batchId: null };
    // One append for both steps: a single-recipient send is ~10 statements, not ~15.
    await this.recorder.transitions(
      ref,
      [
        ...recipients.map((r) => ({ recipientId: r, from: null, to: 'ACCEPTED' as const, actor: input.actor })),
        ...placed.map((p) => ({ recipientId: p.recipient_id, from: 'ACCEPTED' as const, to: p.state, actor: 'system', reason: p.state === 'FAILED' ? 'RECIPIENT_UNKNOWN' : null })),
      ],
      now,
      { freshNotice: true, callbackUrl },
    );
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

  private async accept(input: SendNoticeInput, content: NoticeContent, recipients: string[], attachments: readonly AttachmentRef[]) {
    const now = this.clock.now();
    const noticeId = uuidv7();
    const batchId = uuidv7();
    await this.notices.insertNotice({ noticeId, agencyId: input.agencyId, content, recipientCount: recipients.length, system: false, at: now }, attachments);
    await this.notices.insertBatch({ batchId, noticeId, agencyId: input.agencyId, recipients, at: now }, this.env.FANOUT_CHUNK_SIZE);
    // One audit fact covers every recipient's ACCEPTED: the digest binds the exact list.
    const digest = createHash('sha256').update(recipients.join('\n')).digest('hex');
    await this.recorder.facts(noticeId, [
      { noticeId, recipientId: null, action: 'BATCH_ACCEPTED', actor: input.actor, detail: { batchId, recipientCount: recipients.length, recipientsSha256: digest }, at: now.toISOString() },
    ]);
    const data: NoticeBatchAcceptedV1 = { batchId, noticeId, agencyId: input.agencyId, recipientCount: recipients.length, acceptedAt: now.toISOString() };
    await this.recorder.events({ noticeId, agencyId: input.agencyId, batchId }, [{ type: NOTICE_BATCH_ACCEPTED_V1, data, webhook: true }], now);
    return {
      status: 202 as const,
      body: { noticeId, batchId, createdAt: now.toISOString(), recipientCount: recipients.length, status: 'PENDING', progressUrl: `/batches/${batchId}` },
    };
  }

  private async checkAttachments(agencyId: string, attachments: readonly AttachmentRef[]): Promise<void> {
    if (attachments.length === 0) return;
    const shas = attachments.map((a) => a.sha256);
    const sizes = await this.uploads.sizesUploadedBy(agencyId, shas);
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
