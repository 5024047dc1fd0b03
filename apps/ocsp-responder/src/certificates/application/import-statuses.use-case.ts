import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { DomainError, type FieldProblem } from '@darvazeh/core';
import { TransactionRunner } from '@darvazeh/database';
import { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import { hold, issued, revoke, unhold, type CertificateStatus } from '../domain/certificate-status.js';
import { SerialNumber } from '../domain/serial-number.js';
import { parseReason, REVOCATION_REASONS } from '../domain/revocation-reason.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { StatusChangeEffects } from './status-change-effects.js';
import { requireIssuer } from './issuer-lookup.js';

export class CsvImportInvalidError extends DomainError {
  readonly code = 'OCSP.CSV_INVALID';
  readonly kind = 'invalid' as const;
  constructor(errors: FieldProblem[]) {
    super(`the CSV has ${errors.length} bad row(s); nothing was imported`, { errors: errors.slice(0, 100) });
  }
}

const ACTIONS = ['issued', 'revoked', 'hold', 'unhold'] as const;
type Action = (typeof ACTIONS)[number];

interface Row {
  line: number;
  serial: string;
  action: Action;
  notAfter: Date | null;
  revokedAt: Date | null;
  reason: number;
  invalidityDate: Date | null;
}

/**
 * Rows per file. A national CA's whole population fits one file: rows are parsed as they stream in
 * (a few hundred bytes each in memory) and the repository writes a batch this large with COPY.
 */
export const MAX_CSV_ROWS = 2_000_000;

/**
 * Bulk status feed from CA operators: CSV with a header
 * `serial,action,notAfter,revokedAt,reason,invalidityDate` (action = issued|revoked|hold|unhold).
 * Streams the upload through csv-parse, validates every row, and applies all of them in one
 * transaction — or none, listing the bad rows.
 */
@Injectable()
export class ImportStatusesUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repository: CertificateStatusRepository,
    private readonly directory: IssuerDirectory,
    private readonly effects: StatusChangeEffects,
  ) {}

  async execute(input: { issuer: string; csv: Readable }): Promise<{ rows: number; changed: number }> {
    const issuer = requireIssuer(this.directory, input.issuer);
    const rows: Row[] = [];
    const errors: FieldProblem[] = [];
    const parser = input.csv.pipe(parse({ columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, trim: true, relax_column_count: true }));
    try {
      for await (const record of parser as AsyncIterable<Record<string, string>>) {
        const line = rows.length + errors.length + 2;
        if (rows.length + errors.length >= MAX_CSV_ROWS) {
          errors.push({ field: `line ${line}`, message: `more than ${MAX_CSV_ROWS} rows` });
          break;
        }
        const row = parseRow(record, line, errors);
        if (row) rows.push(row);
      }
    } catch (err) {
      errors.push({ field: 'csv', message: err instanceof Error ? err.message : String(err) });
    }
    if (errors.length) throw new CsvImportInvalidError(errors);
    if (rows.length === 0) throw new CsvImportInvalidError([{ field: 'csv', message: 'has no rows' }]);
    const now = new Date();
    const changed = await this.tx.run(async () => {
      const out = new Map<string, CertificateStatus>();
      const problems: FieldProblem[] = [];
      // Every existing record in one locked read, every change in one bulk write: a row at a time
      // cost two round trips per certificate.
      const existing = await this.repository.findMany(issuer.issuer.id, [...new Set(rows.map((r) => r.serial))]);
      for (const row of rows) {
        const current = out.get(row.serial) ?? existing.get(row.serial) ?? null;
        try {
          const base = current ?? issued(issuer.issuer.id, row.serial, row.notAfter, now);
          const decision =
            row.action === 'issued'
              ? { status: base, changed: !current }
              : row.action === 'revoked'
                ? revoke(base, row.revokedAt ?? now, row.reason as never, row.invalidityDate, now)
                : row.action === 'hold'
                  ? hold(base, row.revokedAt ?? now, now)
                  : unhold(base, now);
          if (decision.changed) out.set(row.serial, decision.status);
        } catch (err) {
          problems.push({ field: `line ${row.line}`, message: err instanceof Error ? err.message : String(err) });
        }
      }
      if (problems.length) throw new CsvImportInvalidError(problems);
      const statuses = [...out.values()];
      await this.repository.saveMany(statuses);
      // Applied to the book and the response cache once committed (and awaited by the outermost run).
      this.tx.afterCommit(() => this.effects.applied(statuses));
      return statuses;
    });
    return { rows: rows.length, changed: changed.length };
  }
}

function parseRow(r: Record<string, string>, line: number, errors: FieldProblem[]): Row | null {
  const at = (field: string) => `line ${line} ${field}`;
  const before = errors.length;
  let serial = '';
  try {
    serial = SerialNumber.parse(r.serial ?? '').hex;
  } catch (err) {
    errors.push({ field: at('serial'), message: (err as Error).message });
  }
  const action = (r.action ?? '').toLowerCase() as Action;
  if (!ACTIONS.includes(action)) errors.push({ field: at('action'), message: `must be one of ${ACTIONS.join(', ')}` });
  const date = (field: string): Date | null => {
    const v = r[field];
    if (!v) return null;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) errors.push({ field: at(field), message: 'is not an ISO 8601 date' });
    return d;
  };
  const notAfter = date('notAfter');
  const revokedAt = date('revokedAt');
  const invalidityDate = date('invalidityDate');
  let reason: number = REVOCATION_REASONS.unspecified;
  try {
    reason = parseReason(r.reason || undefined, at('reason'));
  } catch (err) {
    errors.push({ field: at('reason'), message: (err as Error).message });
  }
  if (errors.length > before) return null;
  return { line, serial, action, notAfter, revokedAt, reason, invalidityDate };
}
