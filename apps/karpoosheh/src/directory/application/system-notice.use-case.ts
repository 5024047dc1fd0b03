import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { TransactionRunner } from '@darvazeh/database';
import { NoticeRepository } from '../../notices/domain/notice.repository.js';
import { TransitionRecorder } from '../../notices/application/transition-recorder.js';
import { noticeContent } from '../../notices/domain/notice-content.js';
import { Clock } from '../../shared/domain/clock.js';

/** The sender of notices other services cause (Hamta's device registry): a fixed id, never an agency's. */
export const HAMTA_SYSTEM_SENDER = '00000000-0000-5000-8000-000000000001';
const NAMESPACE = '6f1d8c1e-2b7a-4f0e-9a57-3a0c4b1e9d21';

export interface SystemNoticeInput {
  /** Id of the event that caused it: the notice id derives from it, so a redelivered event cannot make a second notice. */
  causeEventId: string;
  recipient: string;
  subject: string;
  body: string;
  category: string;
}

/** A system notice placed straight into one citizen's inbox (DELIVERED), with audit and events like any other. */
@Injectable()
export class SystemNoticeUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(input: SystemNoticeInput): Promise<string> {
    const noticeId = uuidv5(input.causeEventId, NAMESPACE);
    return this.tx.run(async () => {
      if (await this.notices.findNotice(noticeId)) return noticeId;
      const now = this.clock.now();
      const content = noticeContent({ subject: input.subject, body: input.body, bodyFormat: 'text', category: input.category });
      await this.notices.insertNotice({ noticeId, agencyId: HAMTA_SYSTEM_SENDER, content, recipientCount: 1, system: true, at: now }, []);
      const placed = await this.notices.deliver(noticeId, [input.recipient], now, 'any');
      const ref = { noticeId, agencyId: HAMTA_SYSTEM_SENDER, batchId: null };
      await this.recorder.transitions(ref, [{ recipientId: input.recipient, from: null, to: 'ACCEPTED', actor: 'system:hamta' }], now, { webhooks: false });
      await this.recorder.transitions(ref, placed.map((p) => ({ recipientId: p.recipient_id, from: 'ACCEPTED' as const, to: p.state, actor: 'system' })), now, { webhooks: false });
      await this.notices.queueNotifications(noticeId);
      return noticeId;
    });
  }
}
