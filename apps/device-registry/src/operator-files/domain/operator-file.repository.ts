/** Wire format: stored in operator_files.kind and shown in the log. */
export type OperatorFileKind = 'sightings' | 'subscribers';

export interface OperatorFileRow {
  id: string;
  kind: OperatorFileKind;
  outcome: 'merged' | 'rejected';
  sha256: string;
  rowsTotal: number;
  rowsMerged: number;
  receivedAt: Date;
  /** Names of the checks that failed (empty for a merged file). */
  failedChecks: string[];
}

export interface OperatorFileListFilter {
  kind?: OperatorFileKind;
  outcome?: 'merged' | 'rejected';
}

/**
 * Port of the operator's file intake log (read side).
 * The abstract class is also the Nest injection token; implementations join the calling use case's
 * ambient transaction.
 */
export abstract class OperatorFileRepository {
  /** Newest first: ids are UUIDv7, so id order is arrival order. */
  abstract list(operatorCode: string, filter: OperatorFileListFilter, before: string | null, limit: number): Promise<OperatorFileRow[]>;
  abstract find(operatorCode: string, id: string): Promise<{ row: OperatorFileRow; report: Record<string, unknown> } | null>;
}
