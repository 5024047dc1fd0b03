import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { RevokedPrincipalEntity } from '../persistence/revoked-principal.entity.js';
import { RevocationList } from './revocation-list.js';

export interface RecordRevocationInput {
  kind: 'agency' | 'principal';
  key: string;
  disabled: boolean;
  at: Date;
}

/**
 * Stores a disable/enable heard from identity (the newest event per principal wins, so
 * redelivered or reordered events cannot re-enable a disabled agency) and updates the in-memory
 * list the edge reads once the transaction commits.
 */
@Injectable()
export class RecordRevocationUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly list: RevocationList,
  ) {}

  async execute(input: RecordRevocationInput): Promise<void> {
    await this.tx.run(async (manager) => {
      const rows: { disabled: boolean; changed_at: Date }[] = await manager.query(
        `INSERT INTO revoked_principals (kind, key, disabled, changed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, key) DO UPDATE SET disabled = EXCLUDED.disabled, changed_at = EXCLUDED.changed_at
           WHERE revoked_principals.changed_at <= EXCLUDED.changed_at
         RETURNING disabled, changed_at`,
        [input.kind, input.key, input.disabled, input.at],
      );
      if (rows.length === 0) return;
      this.tx.afterCommit(() => this.list.set(input.kind, input.key, input.disabled, input.at));
    });
  }

  /** Fills the list from the table (boot). */
  async load(): Promise<number> {
    const rows = await this.tx.manager().getRepository(RevokedPrincipalEntity).find({ where: { disabled: true } });
    for (const row of rows) this.list.set(row.kind, row.key, true, row.changedAt);
    return rows.length;
  }
}
