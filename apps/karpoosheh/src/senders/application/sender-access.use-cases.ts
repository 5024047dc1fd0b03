import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  SENDER_ACCESS_GRANTED_V1,
  SENDER_ACCESS_REQUESTED_V1,
  SENDER_ACCESS_SUSPENDED_V1,
  type SenderAccessChangedV1,
} from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
import { checkCallbackUrl } from '../../webhooks/domain/webhook-policy.js';
import { grantAccess, requestAccess, suspendAccess, type SenderAccessStatus } from '../domain/sender-access.js';
import { SenderRepository, type SenderRow } from '../domain/sender.repository.js';

const TYPE: Record<SenderAccessStatus, string> = {
  REQUESTED: SENDER_ACCESS_REQUESTED_V1,
  GRANTED: SENDER_ACCESS_GRANTED_V1,
  SUSPENDED: SENDER_ACCESS_SUSPENDED_V1,
};

export interface SenderView {
  agencyId: string;
  status: SenderAccessStatus;
  reason: string | null;
  callbackUrl: string | null;
  requestedAt: string;
  updatedAt: string;
}

export function toSenderView(r: SenderRow): SenderView {
  return { agencyId: r.agency_id, status: r.status, reason: r.reason, callbackUrl: r.callback_url, requestedAt: r.requested_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}

/** Request → grant → suspend (→ grant), each change one event on karpoosheh.senders, same transaction. */
@Injectable()
export class SenderAccessUseCases {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(SenderRepository) private readonly senders: SenderRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  request(agencyId: string, actor: string): Promise<SenderView> {
    return this.change(agencyId, actor, null, (current) => requestAccess(current), true);
  }

  grant(agencyId: string, actor: string): Promise<SenderView> {
    return this.change(agencyId, actor, null, (current) => grantAccess(current), false);
  }

  suspend(agencyId: string, actor: string, reason: string | null): Promise<SenderView> {
    return this.change(agencyId, actor, reason, (current) => suspendAccess(current), false);
  }

  /** Sets (or clears) the callback URL; a new signing secret is returned once, never again. */
  async setCallback(agencyId: string, url: string | null): Promise<{ callbackUrl: string | null; secret: string | null }> {
    const checked = url === null ? null : checkCallbackUrl(url, this.env.KARPOOSHEH_MODE === 'production');
    const secret = checked ? randomBytes(32).toString('base64url') : null;
    await this.tx.run(async () => {
      const row = await this.senders.find(agencyId, true);
      if (!row) grantAccess(null); // throws ACCESS_NOT_REQUESTED
      await this.senders.setCallback(agencyId, checked, secret, this.clock.now());
    });
    return { callbackUrl: checked, secret };
  }

  async get(agencyId: string): Promise<SenderView | null> {
    const row = await this.senders.find(agencyId);
    return row ? toSenderView(row) : null;
  }

  private async change(agencyId: string, actor: string, reason: string | null, decide: (current: SenderAccessStatus | null) => SenderAccessStatus | 'unchanged', create: boolean): Promise<SenderView> {
    return this.tx.run(async (m) => {
      // Serialises concurrent first requests of one agency (there is no row to lock yet).
      await this.senders.serialise(agencyId);
      const row = await this.senders.find(agencyId, true);
      const next = decide(row?.status ?? null);
      const now = this.clock.now();
      if (next !== 'unchanged') {
        if (!row && create) await this.senders.insert(agencyId, now);
        else await this.senders.setStatus(agencyId, next, reason, now);
        const data: SenderAccessChangedV1 = { agencyId, status: next, actor, reason, at: now.toISOString() };
        await this.outbox.append(m, [{ id: uuidv7(), type: TYPE[next], subject: agencyId, data, time: now }]);
      }
      return toSenderView((await this.senders.find(agencyId))!);
    });
  }
}
