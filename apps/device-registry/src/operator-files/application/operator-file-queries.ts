import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { toCursorPage, type CursorPage } from '@darvazeh/http';
import { isUuid, uuidCursor } from '../../shared/application/list-cursors.js';
import { NotFoundError } from '../../shared/domain/hamta.errors.js';
import { OperatorFileRepository, type OperatorFileListFilter, type OperatorFileRow } from '../domain/operator-file.repository.js';

export type OperatorFileSummary = Omit<OperatorFileRow, 'id'> & { fileId: string };

export interface OperatorFileView extends OperatorFileSummary {
  /** The report the upload was answered with: checks, counts and sample rows. */
  report: Record<string, unknown>;
}

/**
 * The operator's file intake log: every sightings or ownership file it sent that was judged —
 * merged or rejected, with the report. The caller's operator code comes from its token (the
 * controller checks the path against it); another operator's file is "not found", never shown.
 */
@Injectable()
export class OperatorFileQueries {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OperatorFileRepository) private readonly files: OperatorFileRepository,
  ) {}

  async list(operatorCode: string, filter: OperatorFileListFilter, limit: number, cursor?: string): Promise<CursorPage<OperatorFileSummary>> {
    const before = uuidCursor(cursor);
    const rows = await this.files.list(operatorCode, filter, before, limit + 1);
    return toCursorPage(rows, limit, (r) => ({ id: r.id }), toSummary);
  }

  async get(operatorCode: string, fileId: string): Promise<OperatorFileView> {
    const found = isUuid(fileId) ? await this.files.find(operatorCode, fileId) : null;
    if (!found) throw new NotFoundError('HAMTA.FILE_NOT_FOUND', `operator ${operatorCode} sent no file ${fileId}`);
    return { ...toSummary(found.row), report: found.report };
  }
}

function toSummary({ id, ...rest }: OperatorFileRow): OperatorFileSummary {
  return { fileId: id, ...rest };
}
