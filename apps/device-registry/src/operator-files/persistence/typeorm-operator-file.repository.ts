import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OperatorFileKind } from '../domain/operator-file.repository.js';
import { TransactionRunner } from '@darvazeh/database';
import { OperatorFileRepository, type OperatorFileRow, type OperatorFileListFilter } from '../domain/operator-file.repository.js';

const FAILED_CHECKS = `coalesce((SELECT array_agg(c->>'check') FROM jsonb_array_elements(report->'checks') c WHERE c->>'passed' = 'false'), '{}') AS failed_checks`;
const COLUMNS = `id, kind, outcome, sha256, rows_total, rows_merged, created_at, ${FAILED_CHECKS}`;

/** Read side of the intake log; every query is bound to one operator. */
@Injectable()
export class TypeOrmOperatorFileRepository extends OperatorFileRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  /** Newest first: ids are UUIDv7, so id order is arrival order. */
  override async list(operatorCode: string, filter: OperatorFileListFilter, before: string | null, limit: number): Promise<OperatorFileRow[]> {
    const rows = await this.m.query(
      `SELECT ${COLUMNS} FROM operator_files
        WHERE operator_code = $1 AND ($2::uuid IS NULL OR id < $2::uuid)
          AND ($3::varchar IS NULL OR kind = $3) AND ($4::varchar IS NULL OR outcome = $4)
        ORDER BY id DESC LIMIT $5`,
      [operatorCode, before, filter.kind ?? null, filter.outcome ?? null, limit],
    );
    return rows.map(toRow);
  }

  override async find(operatorCode: string, id: string): Promise<{ row: OperatorFileRow; report: Record<string, unknown> } | null> {
    const [r] = await this.m.query(
      `SELECT ${COLUMNS}, report FROM operator_files WHERE operator_code = $1 AND id = $2`,
      [operatorCode, id],
    );
    return r ? { row: toRow(r), report: r.report } : null;
  }
}

function toRow(r: Record<string, unknown>): OperatorFileRow {
  return {
    id: r.id as string,
    kind: r.kind as OperatorFileKind,
    outcome: r.outcome as 'merged' | 'rejected',
    sha256: r.sha256 as string,
    rowsTotal: Number(r.rows_total),
    rowsMerged: Number(r.rows_merged),
    receivedAt: r.created_at as Date,
    failedChecks: r.failed_checks as string[],
  };
}
