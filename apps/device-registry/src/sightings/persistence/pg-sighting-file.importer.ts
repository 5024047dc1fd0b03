import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { TransactionRunner } from '@darvazeh/database';
import { v7 as uuidv7 } from 'uuid';
import { AutoGunzip, inflateLimits } from '../../shared/persistence/csv-to-copy.transform.js';
import { findMergedFile, logOperatorFile } from '../../operator-files/persistence/operator-file-log.js';
import { evaluateSightingFile } from '../domain/sighting-file.js';
import { SightingFileReader } from './sighting-file-reader.js';
import { SightingFileImporter, type JudgedSightingFile, type SampleRow, type SightingFileReport, type SightingFileRequest, type SightingFileResult } from '../domain/sighting-file.importer.js';

export { SIGHTINGS_HEADER } from './sighting-file-reader.js';
export type { JudgedSightingFile, SampleRow, SightingFileReport, SightingFileRequest, SightingFileResult } from '../domain/sighting-file.importer.js';

/**
 * Loads an operator's sightings file. One streaming pass in Node (gunzip → parse → validate →
 * fold into one entry per key and month) judges the whole file before any SQL runs: a rejected
 * file merges nothing and costs one INSERT (its report, in the intake log); the same content twice is recognised by its
 * hash. An accepted file's aggregated keys (far fewer than its rows) are COPYed into a temporary
 * staging table and merged into `sightings` with LEAST/GREATEST and an OR of the recent-days masks,
 * in the caller's transaction (TransactionRunner), committed durably with its after-commit effects.
 *
 * Measured on the previous design (staging every raw row, checking with regexes in SQL,
 * array_agg(DISTINCT) day sets): ~36k rows/s, of which SQL checks and the merge were 70%.
 */
export class PgSightingFileImporter extends SightingFileImporter {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  override async read(req: SightingFileRequest): Promise<JudgedSightingFile> {
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (phase: string) => {
      const now = performance.now();
      timings[phase] = Math.round(now - mark);
      mark = now;
    };
    const limits = inflateLimits(req);
    const reader = new SightingFileReader({ operatorPlmns: req.operatorPlmns, fromDay: req.fromDay, toDay: req.toDay, today: req.today, maxBytes: limits.maxDecompressedBytes });
    await pipeline(req.body, new AutoGunzip(limits), reader);
    lap('read');
    const c = reader.counts;
    const checks = evaluateSightingFile(c, req.thresholds);
    const failed = checks.filter((x) => !x.passed).map((x) => x.check);
    const report: SightingFileReport = {
      fileId: null,
      sha256: reader.sha256,
      outcome: failed.length === 0 ? 'merged' : 'rejected',
      rowsTotal: c.total + c.structureErrors,
      rowsMerged: 0,
      rowsSkipped: c.total - c.valid + c.structureErrors,
      keysMerged: 0,
      checks,
      samples: failed.length === 0 ? [] : samplesOf(reader.samples, failed),
      structureSamples: reader.structureSamples,
      timings,
    };
    return new ReadSightingFile(req.operatorCode, report, reader, lap);
  }

  override async record(file: JudgedSightingFile): Promise<SightingFileResult> {
    if (!(file instanceof ReadSightingFile)) throw new TypeError('record() takes a file returned by read() of this importer');
    const client = await this.transactionClient();
    const { operatorCode, report, reader, lap } = file;
    const dup = await findMergedFile<SightingFileReport>(client, operatorCode, 'sightings', report.sha256);
    if (dup) return { report: { ...dup.report, fileId: dup.id, outcome: 'duplicate' as const } };
    if (report.outcome === 'rejected') {
      // Nothing of its rows is written; the intake log keeps the verdict for the operator to look up.
      report.fileId = uuidv7();
      await logOperatorFile(client, { id: report.fileId, operatorCode, kind: 'sightings', sha256: report.sha256, outcome: 'rejected', rowsTotal: report.rowsTotal, rowsMerged: 0, report });
      return { report };
    }
    report.keysMerged = await this.merge(client, operatorCode, reader, lap);
    report.rowsMerged = reader.counts.valid;
    report.fileId = uuidv7();
    await logOperatorFile(client, { id: report.fileId, operatorCode, kind: 'sightings', sha256: report.sha256, outcome: 'merged', rowsTotal: report.rowsTotal, rowsMerged: report.rowsMerged, report });
    return { report, seen: reader.aggregate.firstSeen() };
  }

  /** The raw pg client of the caller's open transaction: COPY needs it, and the merge must commit with the caller's effects. */
  private async transactionClient(): Promise<PoolClient> {
    const runner = this.tx.manager().queryRunner;
    if (!runner?.isTransactionActive) throw new Error('PgSightingFileImporter.record must run inside TransactionRunner.run');
    return (await runner.connect()) as PoolClient;
  }

  private async merge(client: PoolClient, operatorCode: string, reader: SightingFileReader, lap: (phase: string) => void): Promise<number> {
    await client.query(`SET LOCAL work_mem = '256MB'`);
    // A temporary table is never WAL-logged: staging costs no durability work; the merge below is.
    await client.query(`
      CREATE TEMP TABLE sighting_staging (
        imei bigint, msisdn bigint, imsi bigint, first_day int, last_day int, days int, rat text
      ) ON COMMIT DROP`);
    await pipeline(Readable.from(reader.aggregate.copyBinary()), client.query(copyFrom(`COPY sighting_staging FROM STDIN WITH (FORMAT binary)`)));
    lap('copy');
    // Imports and the stream of one operator write the same keys: serialise them (the stream takes
    // this lock shared per event) so the plain INSERT below cannot meet a key inserted meanwhile.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [sightingsLockKey(operatorCode)]);
    await client.query('ANALYZE sighting_staging');
    // Existing keys first (UPDATE joined on the key), then new keys with a plain sorted INSERT:
    // measured ~2x faster for new keys than INSERT … ON CONFLICT's speculative insertion.
    const updated = await client.query(
      `UPDATE sightings AS s SET ${MERGE_SET.replace(/EXCLUDED\./g, 'x.')}
         FROM (SELECT imei, msisdn, imsi, date '1970-01-01' + first_day AS first_seen, date '1970-01-01' + last_day AS last_seen,
                      days AS recent_days, rat AS last_rat FROM sighting_staging) x
        WHERE s.imei = x.imei AND s.msisdn = x.msisdn AND s.imsi = x.imsi AND s.operator_code = $1`,
      [operatorCode],
    );
    const inserted = await client.query(
      `INSERT INTO sightings (imei, msisdn, imsi, operator_code, first_seen, last_seen, recent_days, last_rat)
       SELECT imei, msisdn, imsi, $1::varchar, date '1970-01-01' + first_day, date '1970-01-01' + last_day, days, rat
         FROM sighting_staging x
        WHERE NOT EXISTS (SELECT 1 FROM sightings s WHERE s.imei = x.imei AND s.msisdn = x.msisdn AND s.imsi = x.imsi AND s.operator_code = $1)
        ORDER BY imei, msisdn, imsi`,
      [operatorCode],
    );
    lap('merge');
    return (updated.rowCount ?? 0) + (inserted.rowCount ?? 0);
  }
}

/** What read() hands to record(): the judged report and the folded keys still to be merged. */
class ReadSightingFile implements JudgedSightingFile {
  constructor(
    readonly operatorCode: string,
    readonly report: SightingFileReport,
    readonly reader: SightingFileReader,
    readonly lap: (phase: string) => void,
  ) {}
}

/** Advisory lock serialising writers of one operator's sightings. */
export const sightingsLockKey = (operatorCode: string) => `hamta.sightings:${operatorCode}`;

/**
 * How an incoming aggregate (EXCLUDED) merges into a stored key (s): exact first/last seen, and
 * the two 32-day masks re-based on the new last_seen (shifted left by how far each lags it; a
 * shift of 32 or more drops the whole mask, and C's shift would wrap, hence the CASEs).
 * Order-independent, so re-delivered and late sightings give the same row. Shared with the stream.
 */
export const MERGE_SET = `
  first_seen = LEAST(s.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen),
  recent_days = (CASE WHEN GREATEST(s.last_seen, EXCLUDED.last_seen) - s.last_seen >= 32 THEN 0
                      ELSE s.recent_days << (GREATEST(s.last_seen, EXCLUDED.last_seen) - s.last_seen) END)
              | (CASE WHEN GREATEST(s.last_seen, EXCLUDED.last_seen) - EXCLUDED.last_seen >= 32 THEN 0
                      ELSE EXCLUDED.recent_days << (GREATEST(s.last_seen, EXCLUDED.last_seen) - EXCLUDED.last_seen) END),
  last_rat = CASE WHEN EXCLUDED.last_seen >= s.last_seen THEN coalesce(EXCLUDED.last_rat, s.last_rat) ELSE s.last_rat END`;

/** The sample rows of the failed checks, in the order the checks are reported, then by line. */
function samplesOf(all: SampleRow[], failed: string[]): SampleRow[] {
  const order = new Map(failed.map((c, i) => [c, i]));
  return all.filter((s) => order.has(s.check)).sort((a, b) => order.get(a.check)! - order.get(b.check)! || a.line - b.line);
}
