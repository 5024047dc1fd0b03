import type { PoolClient } from 'pg';

import type { OperatorFileKind } from '../domain/operator-file.repository.js';

export type { OperatorFileKind };

export interface OperatorFileEntry {
  id: string;
  operatorCode: string;
  kind: OperatorFileKind;
  sha256: string;
  outcome: 'merged' | 'rejected';
  rowsTotal: number;
  rowsMerged: number;
  /** The report the uploader was answered with (checks, counts, sample rows). */
  report: object;
}

/**
 * The merged file of this operator and kind with this content, if any: sending it again changes
 * nothing. Rejected files do not count — the same content is judged again.
 */
export async function findMergedFile<R>(client: PoolClient, operatorCode: string, kind: OperatorFileKind, sha256: string): Promise<{ id: string; report: R } | null> {
  const { rows } = await client.query<{ id: string; report: R }>(
    `SELECT id, report FROM operator_files WHERE operator_code = $1 AND kind = $2 AND sha256 = $3 AND outcome = 'merged'`,
    [operatorCode, kind, sha256],
  );
  return rows[0] ?? null;
}

/** Records a judged file in the intake log: with its merge's transaction, or on its own when rejected. */
export async function logOperatorFile(client: PoolClient, e: OperatorFileEntry): Promise<void> {
  await client.query(
    `INSERT INTO operator_files (id, operator_code, kind, sha256, outcome, rows_total, rows_merged, report, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())`,
    [e.id, e.operatorCode, e.kind, e.sha256, e.outcome, e.rowsTotal, e.rowsMerged, JSON.stringify(e.report)],
  );
}
