import type { TransactionRunner } from '@darvazeh/database';
import type { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import type { CertificateStatus } from '../domain/certificate-status.js';
import type { StatusChangeEffects } from './status-change-effects.js';

/**
 * The shared shape of every status use case: load (locked) inside one transaction, decide with
 * the domain rule, save if changed; the change reaches the in-memory book and the response
 * cache only once the outermost transaction commits (`afterCommit`: a consumer's batch may
 * still roll back after this use case returned), never on rollback.
 */
export async function changeStatus(
  tx: TransactionRunner,
  repository: CertificateStatusRepository,
  effects: StatusChangeEffects,
  issuerId: string,
  serial: string,
  decide: (current: CertificateStatus | null) => { status: CertificateStatus; changed: boolean },
): Promise<{ status: CertificateStatus; changed: boolean }> {
  const result = await tx.run(async () => {
    const current = await repository.find(issuerId, serial);
    const decision = decide(current);
    if (decision.changed) {
      await repository.save(decision.status);
      tx.afterCommit(() => effects.applied([decision.status]));
    }
    return decision;
  });
  return result;
}
