import { Inject, Injectable } from '@nestjs/common';
import { conflict, forbidden } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import type { Evaluation, Priority, RequestRecord } from '../../requests/domain/request.js';
import { RequestRepository } from '../../requests/domain/request.repository.js';
import { loadVisibleRequest } from '../../requests/application/request-access.js';

/** Attempts of a write whose request another caller changed between its read and its write. */
const WRITE_ATTEMPTS = 5;

/**
 * "Evaluation of qualification and priority": the claiming expert records whether the applicant
 * qualifies, notes and a priority. Kept in the history (not a state change); approval needs it.
 */
@Injectable()
export class RecordEvaluationUseCase {
  constructor(
    @Inject(RequestRepository) private readonly requests: RequestRepository,
  ) {}

  async execute(actor: Actor, id: string, input: { qualified: boolean; notes: string; priority: Priority }): Promise<RequestRecord> {
    // One read and one write (commitStep, guarded by the version read); read again when the
    // request changed in between, so the checks below always see what the write replaces.
    for (let attempt = 1; ; attempt++) {
      const r = await loadVisibleRequest(this.requests, actor, id);
      if (r.state !== 'IN_REVIEW') throw conflict('GSB.NOT_IN_REVIEW', `a request in state ${r.state} is not being reviewed`, 'Claim it first.');
      if (r.claimedBy !== actor.subject) throw forbidden('GSB.NOT_CLAIMANT', 'only the expert who claimed the request evaluates it');
      const now = new Date();
      const evaluation: Evaluation = { qualified: input.qualified, notes: input.notes.trim(), evaluatedBy: actor.subject, evaluatedAt: now.toISOString() };
      const next: RequestRecord = { ...r, evaluation, priority: input.priority, updatedAt: now, version: r.version + 1 };
      const written = await this.requests.commitStep({
        request: next,
        readVersion: r.version,
        history: {
          at: now,
          actor: actor.subject,
          actorRole: 'expert',
          action: 'evaluate',
          fromState: r.state,
          toState: r.state,
          comment: evaluation.notes || null,
          details: { qualified: input.qualified, priority: input.priority },
        },
      });
      if (written) return next;
      if (attempt === WRITE_ATTEMPTS) throw conflict('GSB.CONCURRENT_CHANGE', `request ${id} kept changing while the evaluation was recorded`, 'Read the request again and retry.');
    }
  }
}
