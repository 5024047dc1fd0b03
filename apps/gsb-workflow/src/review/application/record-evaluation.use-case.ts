import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { conflict, forbidden } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import type { Evaluation, Priority, RequestRecord } from '../../requests/domain/request.js';
import { RequestRepository } from '../../requests/domain/request.repository.js';
import { loadVisibleRequest } from '../../requests/application/request-access.js';

/**
 * "Evaluation of qualification and priority": the claiming expert records whether the applicant
 * qualifies, notes and a priority. Kept in the history (not a state change); approval needs it.
 */
@Injectable()
export class RecordEvaluationUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
  ) {}

  async execute(actor: Actor, id: string, input: { qualified: boolean; notes: string; priority: Priority }): Promise<RequestRecord> {
    return this.tx.run(async () => {
      const r = await loadVisibleRequest(this.requests, actor, id, true);
      if (r.state !== 'IN_REVIEW') throw conflict('GSB.NOT_IN_REVIEW', `a request in state ${r.state} is not being reviewed`, 'Claim it first.');
      if (r.claimedBy !== actor.subject) throw forbidden('GSB.NOT_CLAIMANT', 'only the expert who claimed the request evaluates it');
      const now = new Date();
      const evaluation: Evaluation = { qualified: input.qualified, notes: input.notes.trim(), evaluatedBy: actor.subject, evaluatedAt: now.toISOString() };
      const next: RequestRecord = { ...r, evaluation, priority: input.priority, updatedAt: now };
      await this.requests.saveWithHistory(next, {
        at: now,
        actor: actor.subject,
        actorRole: 'expert',
        action: 'evaluate',
        fromState: r.state,
        toState: r.state,
        comment: evaluation.notes || null,
        details: { qualified: input.qualified, priority: input.priority },
      });
      return next;
    });
  }
}
