import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import { InboxRepository, type InboxFlag } from '../domain/inbox.repository.js';
import type { InboxOwner } from './inbox-owner.js';

export type { InboxFlag } from '../domain/inbox.repository.js';

/** The recipient's own marks on an entry: acknowledge (after opening), archive, star. */
@Injectable()
export class InboxFlagsUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(owner: InboxOwner, noticeId: string, flag: InboxFlag): Promise<void> {
    const now = this.clock.now();
    await this.tx.run(async () => {
      const entry = await this.inbox.lockVisibleEntry(noticeId, owner.recipientId);
      if (!entry) throw noticeNotFound();
      if (flag === 'acknowledge' && !entry.read_at) {
        throw new KarpooshehError('KARPOOSHEH.NOT_OPENED', 'conflict', 'Open the notice before acknowledging it.');
      }
      await this.inbox.setFlag(noticeId, owner.recipientId, flag, now);
    });
  }
}
