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
import { parseRecipientList, recipientKindOf } from '../../shared/domain/recipient-id.js';
import { IdempotencyKeyInFlightError, decideIdempotency } from '../domain/idempotency.js';
import { DirectSendStore } from '../domain/direct-send.store.js';
import { IdempotencyStore } from '../domain/idempotency.store.js';
import { SendAdmission } from '../domain/send-admission.js';
import { noticeContent, type BodyFormat, type NoticeContent } from '../domain/notice-content.js';
import { NoticeRepository, type AttachmentRef } from '../domain/notice.repository.js';
import { KARPOOSHEH_SOURCE, TransitionRecorder } from './transition-recorder.js';

/** Stored on a FAILED entry (the same words the fan-out writes). */
const UNKNOWN_CITIZEN = 'no citizen with this national code is registered';

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
 * is delivered at once (201, each recipient's state); above it, a batch is stored and answered
 * 202 — the fan-out worker writes the inbox entries. The idempotency record, notice, entries,
 * audit and outbox rows commit together; a lock on (agency, key) (a transaction-scoped advisory
 * lock) makes a concurrent duplicate a 409 instead of a second notice.
 *
 * A direct send decides everything before it writes — each recipient's state (companies and, with
 * RECIPIENT_DIRECTORY=any, every national code are deliverable; otherwise one read of the citizen
 * projection), the audit chain of the new notice (it starts at the genesis, so no other send's
 * head is involved), the events and the answer — and then hands the store one write that also
 * does the admission: one round trip on PostgreSQL (see DirectSendStore). Bulk sends keep the
 * transaction below (they are rare and write chunks).
 */
@Injectable()
export class SendNoticeUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(SendAdmission) private readonly admission: SendAdmission,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(DirectSendStore) private readonly directSends: DirectSendStore,
    @Inject(AttachmentUploads) private readonly uploads: AttachmentUploads,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async execute(input: SendNoticeInput): Promise<SendNoticeResult> {
    const content = noticeContent(input);
    const { recipients } = parseRecipientList(input.recipients, this.env.MAX_RECIPIENTS_PER_NOTICE);
    const attachments = input.attachments ?? [];
    const ids = recipients.map((r) => r.id);
    if (ids.length <= this.env.SYNC_FANOUT_LIMIT) return this.sendNow(input, content, ids, attachments);
    return this.tx.run(async () => {
      // Idempotency lock + record and the sender's access: one read.
      const { locked, record, sender } = await this.admission.admit(input.agencyId, input.idempotencyKey);
      if (!locked) throw new IdempotencyKeyInFlightError();
      const decision = decideIdempotency(record, input.requestHash);
      if (decision.kind === 'replay') return { status: decision.status as 201 | 202, body: decision.body as Record<string, unknown>, replayed: true };

      assertMaySend(sender.status);
      await this.checkAttachments(input.agencyId, attachments);
      const result = await this.accept(input, content, ids, attachments);
      const saved = await this.idempotency.save(input.agencyId, input.idempotencyKey, { requestHash: input.requestHash, responseStatus: result.status, responseBody: result.body });
      // The same request committed meanwhile (between our lock and this insert): roll this one
      // back; the retry replays the stored answer.
      if (!saved) throw new IdempotencyKeyInFlightError();
      return { ...result, replayed: false };
    });
  }

  private async sendNow(input: SendNoticeInput, content: NoticeContent, recipients: string[], attachments: readonly AttachmentRef[]): Promise<SendNoticeResult> {
    // Read before the write, not under its lock: uploads are never withdrawn, so the answer
    // cannot change. (The one visible difference: a reused key whose new body names an unknown
    // file answers ATTACHMENT_UNKNOWN rather than IDEMPOTENCY_KEY_REUSED — both 422, nothing written.)
    await this.checkAttachments(input.agencyId, attachments);
    const deliverable = await this.deliverable(recipients);
    const now = this.clock.now();
    const noticeId = uuidv7();
    const ref = { noticeId, agencyId: input.agencyId, batchId: null };
    const entries = recipients.map((r) => (deliverable(r) ? { recipientId: r, state: 'DELIVERED' as const, failedReason: null } : { recipientId: r, state: 'FAILED' as const, failedReason: UNKNOWN_CITIZEN }));
    const prepared = this.recorder.prepareForNewNotice(
      ref,
      [
        ...recipients.map((r) => ({ recipientId: r, from: null, to: 'ACCEPTED' as const, actor: input.actor })),
        ...entries.map((e) => ({ recipientId: e.recipientId, from: 'ACCEPTED' as const, to: e.state, actor: 'system', reason: e.state === 'FAILED' ? 'RECIPIENT_UNKNOWN' : null })),
      ],
      now,
    );
    const body = {
      noticeId,
      batchId: null,
      createdAt: now.toISOString(),
      recipientCount: recipients.length,
      recipients: entries.map((e) => ({ recipientId: e.recipientId, state: e.state })),
    };
    const outcome = await this.directSends.admitAndWrite({
      agencyId: input.agencyId,
      idempotencyKey: input.idempotencyKey,
      record: { requestHash: input.requestHash, responseStatus: 201, responseBody: body },
      notice: { noticeId, agencyId: input.agencyId, content, recipientCount: recipients.length, system: false, at: now },
      attachments,
      entries,
      audit: prepared.audit,
      events: prepared.events,
      webhook: prepared.webhook,
      source: KARPOOSHEH_SOURCE,
      notify: entries.some((e) => e.state === 'DELIVERED'),
    });
    switch (outcome.kind) {
      case 'written':
        return { status: 201, body, replayed: false };
      case 'recorded': {
        const decision = decideIdempotency(outcome.record, input.requestHash);
        if (decision.kind === 'replay') return { status: decision.status as 201 | 202, body: decision.body as Record<string, unknown>, replayed: true };
        throw new Error('an idempotency record decided "execute"');
      }
      case 'refused':
        assertMaySend(outcome.senderStatus);
        throw new Error(`sender status ${String(outcome.senderStatus)} refused by the store but allowed by the rule`);
      // 'raced': the same request committed meanwhile (between the statement's snapshot and its
      // insert): nothing was written; the retry replays the stored answer.
      case 'in-flight':
      case 'raced':
        throw new IdempotencyKeyInFlightError();
    }
  }

  /** Who can receive: companies always (no registry yet); citizens when known, unless every national code counts. */
  private async deliverable(recipients: readonly string[]): Promise<(id: string) => boolean> {
    if (this.env.RECIPIENT_DIRECTORY === 'any') return () => true;
    const citizens = recipients.filter((r) => recipientKindOf(r) === 'citizen');
    const known = citizens.length > 0 ? await this.directSends.knownCitizens(citizens) : new Set<string>();
    return (id) => recipientKindOf(id) === 'company' || known.has(id);
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
