import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { GSB_REQUEST_ESCALATED_V1, type GsbRequestEscalatedV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter, type OutgoingEvent } from '@darvazeh/messaging';
import { GsbSettings } from '../../config/gsb-settings.js';
import { RequestRepository } from '../../requests/domain/request.repository.js';
import { overdue } from '../domain/sla.js';

/**
 * Escalates requests that broke a review SLA: flags them in the queue and publishes
 * `gsb.request.escalated.v1`, once per SLA. Rows are taken with SKIP LOCKED, so replicas running
 * the same timer share the work instead of escalating twice.
 */
@Injectable()
export class EscalateOverdueUseCase implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('EscalateOverdue');

  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(GsbSettings) private readonly settings: GsbSettings,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.settings.slaCheckIntervalSeconds;
    if (every <= 0) return;
    this.timer = setInterval(() => {
      this.execute().catch((err: unknown) => this.logger.error({ msg: 'SLA check failed', err: String(err) }));
    }, every * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Returns the escalations made (request id and SLA). */
  async execute(now = new Date(), batch = 200): Promise<{ requestId: string; sla: 'CLAIM' | 'DECISION' }[]> {
    return this.tx.run(async (m) => {
      const made: { requestId: string; sla: 'CLAIM' | 'DECISION' }[] = [];
      const events: OutgoingEvent[] = [];
      for (const r of await this.requests.overdue(now, batch)) {
        const broken = overdue(r, now);
        if (broken.length === 0) continue;
        for (const sla of broken) {
          if (sla === 'CLAIM') r.claimEscalatedAt = now;
          else r.decisionEscalatedAt = now;
          const data: GsbRequestEscalatedV1 = {
            requestId: r.id,
            kind: r.kind,
            agencyId: r.agencyId,
            serviceCode: r.serviceCode,
            environment: r.kind === 'SERVICE' ? (r.environment as 'GSB' | 'PGSB' | null) : null,
            sla,
            state: r.state,
            claimedBy: r.claimedBy,
            dueAt: (sla === 'CLAIM' ? r.claimDueAt! : r.decisionDueAt!).toISOString(),
            escalatedAt: now.toISOString(),
          };
          events.push({ type: GSB_REQUEST_ESCALATED_V1, subject: r.id, data, time: now });
          made.push({ requestId: r.id, sla });
        }
        // A new version: a step that read the request before this escalation must not write over it (commitStep's version guard).
        r.version += 1;
        await this.requests.saveWithHistory(r, {
          at: now,
          actor: 'system',
          actorRole: 'system',
          action: 'escalate',
          fromState: r.state,
          toState: r.state,
          comment: null,
          details: { sla: broken },
        });
      }
      await this.outbox.append(m, events);
      return made;
    });
  }
}
