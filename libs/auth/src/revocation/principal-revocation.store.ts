import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';

export interface PrincipalStateChange {
  /** The token `sub` to refuse or accept again. */
  subject: string;
  principalId: string;
  kind: string;
  disabled: boolean;
  /** When identity made the change (orders the changes of one subject). */
  at: Date;
}

/** SQL of the `principal_revocations` table, in the caller's transaction when there is one. */
@Injectable()
export class PrincipalRevocationStore {
  constructor(private readonly tx: TransactionRunner) {}

  /** Records the change unless a newer one is stored; true when it was recorded. */
  async record(change: PrincipalStateChange): Promise<boolean> {
    const rows = (await this.tx.manager().query(
      `INSERT INTO principal_revocations (subject, principal_id, kind, disabled, changed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject) DO UPDATE
         SET principal_id = EXCLUDED.principal_id, kind = EXCLUDED.kind, disabled = EXCLUDED.disabled,
             changed_at = EXCLUDED.changed_at, recorded_at = now()
         WHERE principal_revocations.changed_at <= EXCLUDED.changed_at
       RETURNING subject`,
      [change.subject, change.principalId, change.kind, change.disabled, change.at.toISOString()],
    )) as unknown[];
    return rows.length > 0;
  }

  async disabledSubjects(): Promise<string[]> {
    const rows = (await this.tx.manager().query('SELECT subject FROM principal_revocations WHERE disabled')) as { subject: string }[];
    return rows.map((r) => r.subject);
  }
}
