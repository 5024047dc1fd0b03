import { formatMsisdnNational } from '@darvazeh/core';
import { SUBSCRIBER_OWNERSHIP_CHANGED_V1, SubscriberOwnershipChangedV1Contract } from '@darvazeh/contracts';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AutoGunzip, CsvToCopyTransform, inflateLimits } from '../../shared/persistence/csv-to-copy.transform.js';
import { findMergedFile, logOperatorFile } from '../../operator-files/persistence/operator-file-log.js';
import { withRawClient } from '../../shared/persistence/pg-client.js';
import { checkOwnershipRow, evaluateOwnershipFile, OWNERSHIP_HEADER } from '../domain/ownership-file.js';
import { OwnershipFileImporter, type OwnershipFileReport, type OwnershipFileRequest } from '../domain/ownership-file.importer.js';

export type { OwnershipFileReport, OwnershipFileRequest } from '../domain/ownership-file.importer.js';

const SAMPLES = 5;

/** CloudEvents source of the ownership events this service publishes (as the outbox writer names it). */
const OWNERSHIP_EVENT_SOURCE = '/darvazeh/device-registry';

/** An RFC 3339 UTC rendering of a timestamptz column, for event payloads built in SQL. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Loads an operator's subscriber-ownership file in one transaction: gunzip → CSV → row checks →
 * COPY of the good rows into a temporary staging table; then the whole-file checks (ratios,
 * conflicting duplicates) decide. A rejected file is rolled back — nothing of its rows stays,
 * only its report in the intake log — and merged content sent again (gzipped or not) is
 * recognised by its SHA-256 and changes nothing. Accepted rows are upserted by (msisdn,
 * valid_from), the key the Kafka stream uses, so a file and the stream carrying the same change
 * leave one row.
 */
export class PgOwnershipFileImporter extends OwnershipFileImporter {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  override async import(req: OwnershipFileRequest): Promise<OwnershipFileReport> {
    return withRawClient(this.dataSource, async (client) => {
      await client.query('BEGIN');
      try {
        const report = await this.stageAndMerge(client, req);
        await client.query(report.outcome === 'merged' ? 'COMMIT' : 'ROLLBACK');
        if (report.outcome === 'rejected') {
          // Its rows are rolled back; the intake log keeps the verdict for the operator to look up.
          report.fileId = uuidv7();
          const { fileId, sha256, rowsTotal } = report;
          await logOperatorFile(client, { id: fileId, operatorCode: req.operatorCode, kind: 'subscribers', sha256, outcome: 'rejected', rowsTotal, rowsMerged: 0, report });
        }
        return report;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  private async stageAndMerge(client: PoolClient, req: OwnershipFileRequest): Promise<OwnershipFileReport> {
    await client.query(`
      CREATE TEMP TABLE ownership_staging (
        line int, msisdn varchar(12), national_code char(10), valid_from timestamptz, valid_to timestamptz
      ) ON COMMIT DROP`);
    const limits = inflateLimits(req);
    const csv = new CsvToCopyTransform(
      OWNERSHIP_HEADER,
      (fields, line) => {
        const c = checkOwnershipRow(fields, req.now);
        if (!c.ok) return { check: c.check, problem: c.problem };
        const r = c.row;
        return `${line}\t${r.msisdn}\t${r.nationalCode ?? '\\N'}\t${r.validFrom.toISOString()}\t${r.validTo ? r.validTo.toISOString() : '\\N'}\n`;
      },
      limits.maxDecompressedBytes,
    );
    await pipeline(req.body, new AutoGunzip(limits), csv, client.query(copyFrom('COPY ownership_staging FROM STDIN')));

    // The same (msisdn, valid_from) twice is harmless when the rows agree, and a broken export when not.
    const conflicts = await client.query<{ line: number; msisdn: string; national_code: string | null; valid_from: Date; valid_to: Date | null; n: string }>(
      `WITH bad AS (
         SELECT msisdn, valid_from FROM ownership_staging GROUP BY msisdn, valid_from
         HAVING count(DISTINCT coalesce(national_code, '-') || '|' || coalesce(valid_to::text, '-')) > 1)
       SELECT s.line, s.msisdn, s.national_code, s.valid_from, s.valid_to, count(*) OVER () AS n
         FROM ownership_staging s JOIN bad USING (msisdn, valid_from) ORDER BY s.line LIMIT ${SAMPLES}`,
    );
    // Issue 15.3: an operator's file may only write numbers it holds. A number whose latest record
    // is another operator's, or whose (msisdn, valid_from) row is, is refused: moving a number
    // between operators (portability) is an explicit event on hamta.subscribers, never a file row.
    const foreign = await client.query<{ line: number; msisdn: string; operator_code: string; n: string }>(
      `SELECT s.line, s.msisdn, x.operator_code, count(*) OVER () AS n
         FROM ownership_staging s
         CROSS JOIN LATERAL (
           SELECT o.operator_code FROM subscriber_ownerships o
            WHERE o.msisdn = s.msisdn AND o.operator_code <> $1
              AND (o.valid_from = s.valid_from
                   OR o.valid_from = (SELECT max(m.valid_from) FROM subscriber_ownerships m WHERE m.msisdn = s.msisdn))
            LIMIT 1) x
        ORDER BY s.line LIMIT ${SAMPLES}`,
      [req.operatorCode],
    );
    const failed = new Map(csv.failed);
    if (conflicts.rows.length > 0) failed.set('conflicting_duplicates', Number(conflicts.rows[0].n));
    if (foreign.rows.length > 0) failed.set('foreign_msisdn', Number(foreign.rows[0].n));
    let skipped = 0;
    for (const [check, n] of csv.failed) if (check !== 'conflicting_duplicates' && check !== 'foreign_msisdn') skipped += n;
    const total = csv.rows + skipped;
    const checks = evaluateOwnershipFile(total, failed, req.maxBadRatio);
    const failedChecks = new Set(checks.filter((c) => !c.passed).map((c) => c.check));
    const samples = [
      ...csv.samples,
      ...conflicts.rows.map((r) => ({
        line: r.line,
        check: 'conflicting_duplicates',
        message: `${r.msisdn} from ${r.valid_from.toISOString()} → ${r.national_code ?? 'terminated'} until ${r.valid_to?.toISOString() ?? 'next change'}`,
      })),
      ...foreign.rows.map((r) => ({
        line: r.line,
        check: 'foreign_msisdn',
        message: `${formatMsisdnNational(r.msisdn)} is held by ${r.operator_code} in the registry's records; a ported number arrives as an ownership event, not a file row`,
      })),
    ];
    const report: OwnershipFileReport = {
      fileId: null,
      sha256: csv.sha256,
      outcome: failedChecks.size === 0 ? 'merged' : 'rejected',
      rowsTotal: total,
      rowsMerged: 0,
      rowsSkipped: skipped,
      checks,
      samples: samples.filter((s) => failedChecks.has(s.check ?? 'columns')).sort((a, b) => a.line - b.line),
    };

    const dup = await findMergedFile<OwnershipFileReport>(client, req.operatorCode, 'subscribers', report.sha256);
    if (dup) return { ...dup.report, fileId: dup.id, outcome: 'duplicate' };
    if (report.outcome === 'rejected') return report;

    // Upsert by (msisdn, valid_from), never over another operator's row (checked above; the WHERE
    // keeps it so under a concurrent port). Every row that changes is published as
    // SubscriberOwnershipChangedV1 on hamta.subscribers through the outbox, in this transaction:
    // other services (identity) learn of file changes as of stream ones.
    const merged = await client.query<{ rows: string; changed: string }>(
      `WITH src AS (
         SELECT DISTINCT ON (msisdn, valid_from) msisdn, valid_from, national_code, valid_to
           FROM ownership_staging ORDER BY msisdn, valid_from, line),
       changed AS (
         INSERT INTO subscriber_ownerships AS o (msisdn, valid_from, national_code, operator_code, valid_to)
         SELECT msisdn, valid_from, national_code, $1, valid_to FROM src
         ON CONFLICT (msisdn, valid_from) DO UPDATE
           SET national_code = EXCLUDED.national_code, valid_to = EXCLUDED.valid_to
           WHERE o.operator_code = EXCLUDED.operator_code
             AND (o.national_code, o.valid_to) IS DISTINCT FROM (EXCLUDED.national_code, EXCLUDED.valid_to)
         RETURNING o.msisdn, o.valid_from, o.national_code, o.valid_to),
       published AS (
         INSERT INTO outbox (event_id, topic, key, type, source, payload, occurred_at)
         SELECT gen_random_uuid(), $2, msisdn, $3, $4,
                jsonb_build_object('operatorCode', $1::text, 'msisdn', msisdn, 'nationalCode', national_code,
                                   'validFrom', ${iso('valid_from')}, 'validTo', ${iso('valid_to')}),
                now()
           FROM changed ORDER BY msisdn, valid_from
         RETURNING 1)
       SELECT (SELECT count(*) FROM src) AS rows, (SELECT count(*) FROM published) AS changed`,
      [req.operatorCode, SubscriberOwnershipChangedV1Contract.topic, SUBSCRIBER_OWNERSHIP_CHANGED_V1, OWNERSHIP_EVENT_SOURCE],
    );
    report.rowsMerged = Number(merged.rows[0].rows);
    report.rowsChanged = Number(merged.rows[0].changed);
    report.fileId = uuidv7();
    await logOperatorFile(client, { id: report.fileId, operatorCode: req.operatorCode, kind: 'subscribers', sha256: report.sha256, outcome: 'merged', rowsTotal: report.rowsTotal, rowsMerged: report.rowsMerged, report });
    return report;
  }
}
