import type { TransactionRunner } from '@darvazeh/database';
import type { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import type { CertificateStatus } from '../domain/certificate-status.js';
import type { StatusChangeEffects } from './status-change-effects.js';

/**
 * The shared shape of every status use case: load (locked) inside one transaction, decide with
 * the domain rule, save if changed; once committed, apply the change to the responder.
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
    if (decision.changed) await repository.save(decision.status);
    return decision;
  });
  if (result.changed) await effects.applied([result.status]);
  return result;
}
