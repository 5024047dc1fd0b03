import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { TypeOrmTransactionRunner } from '@darvazeh/database';
import { createHamtaTestDatabase } from '../../../test/support/hamta-test-db.js';
import { dayNumber } from '../../shared/domain/calendar.js';
import { PgSightingFileImporter, type SightingFileRequest } from './pg-sighting-file.importer.js';

const thresholds = { maxNullImeiRatio: 0.1, maxMalformedImeiRatio: 0.1, maxMalformedOtherRatio: 0.1, maxForeignImsiRatio: 0 };
const d = (s: string) => dayNumber(s)!;

describe('sightings bulk file import (validate and fold while streaming, COPY keys, merge)', () => {
  let db: Awaited<ReturnType<typeof createHamtaTestDatabase>>;
  let ds: DataSource;
  let importer: PgSightingFileImporter;
  let tx: TypeOrmTransactionRunner;
  /** As the use case does: judge the file with no transaction open, then record it in one. */
  const importFile = async (r: SightingFileRequest) => {
    const judged = await importer.read(r);
    return tx.run(() => importer.record(judged));
  };
  const req = (body: string | Buffer, over: Partial<SightingFileRequest> = {}): SightingFileRequest => ({
    operatorCode: 'MCI',
    operatorPlmns: ['43211'],
    fromDay: d('2020-01-01'),
    toDay: d('2020-01-31'),
    today: d('2025-01-01'),
    body: Readable.from([Buffer.from(body)]),
    maxBytes: 10_000_000,
    thresholds,
    ...over,
  });
  const count = async () => Number((await ds.query('SELECT count(*) AS n FROM sightings'))[0].n);

  beforeAll(async () => {
    db = await createHamtaTestDatabase('import');
    ds = db.dataSource;
    tx = new TypeOrmTransactionRunner(ds);
    importer = new PgSightingFileImporter(tx);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await ds.query('TRUNCATE sightings, operator_files');
  });

  const good = [
    'date,imei,imsi,msisdn,rat',
    '2020-01-05,490154203237518,432111234567890,09121234567,4G',
    '2020-01-03,490154203237518,432111234567890,09121234567,4G',
    '2020-01-07,49015420323751,432111234567890,+989121234567,3G',
    '2020-01-04,352099001761481,432119876543210,09129876543,2G',
  ].join('\n');

  it('aggregates rows per (IMEI, IMSI, MSISDN, operator) with first/last seen and the set of days', async () => {
    const { report, seen } = await importFile(req(good));
    expect(report.outcome).toBe('merged');
    expect(report.rowsMerged).toBe(4);
    expect(report.keysMerged).toBe(2);
    const rows = await ds.query(
      `SELECT imei::text, msisdn::text, first_seen::text, last_seen::text, hamta_seen_days(last_seen, recent_days)::text[] AS seen_days FROM sightings ORDER BY imei DESC`,
    );
    expect(rows[0]).toEqual({
      imei: '49015420323751',
      msisdn: '989121234567',
      first_seen: '2020-01-03',
      last_seen: '2020-01-07',
      seen_days: ['2020-01-03', '2020-01-05', '2020-01-07'],
    });
    expect(seen!.length).toBe(2);
  });

  it('accepts the same content gzipped and recognises it as the same file: nothing changes', async () => {
    await importFile(req(good));
    const before = await ds.query('SELECT * FROM sightings ORDER BY imei');
    const again = await importFile(req(gzipSync(good)));
    expect(again.report.outcome).toBe('duplicate');
    expect(await ds.query('SELECT * FROM sightings ORDER BY imei')).toEqual(before);
    expect(Number((await ds.query('SELECT count(*) AS n FROM operator_files'))[0].n)).toBe(1);
  });

  it('merges a later file into existing keys with LEAST/GREATEST and the union of days', async () => {
    await importFile(req(good));
    await importFile(req('date,imei,imsi,msisdn,rat\n2020-01-01,490154203237518,432111234567890,09121234567,4G\n2020-01-05,490154203237518,432111234567890,09121234567,4G\n'));
    const [row] = await ds.query(`SELECT first_seen::text, last_seen::text, hamta_seen_days(last_seen, recent_days)::text[] AS seen_days FROM sightings WHERE imei = 49015420323751`);
    expect(row).toEqual({ first_seen: '2020-01-01', last_seen: '2020-01-07', seen_days: ['2020-01-01', '2020-01-03', '2020-01-05', '2020-01-07'] });
  });

  it('rejects a file whose header is wrong and writes nothing', async () => {
    await expect(importFile(req('day,imei\n2020-01-01,490154203237518'))).rejects.toThrow(/header/);
    expect(await count()).toBe(0);
  });

  it('rejects the whole file, with failed checks and sample rows, when a date is outside the declared range', async () => {
    const { report } = await importFile(req(good + '\n2020-02-01,490154203237518,432111234567890,09121234567,4G'));
    expect(report.outcome).toBe('rejected');
    expect(report.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['date_range']);
    expect(report.samples).toEqual([expect.objectContaining({ check: 'date_range', line: 6, date: '2020-02-01' })]);
    expect(await count()).toBe(0);
    // Nothing merged; the intake log keeps the verdict and its report.
    const logged = await ds.query('SELECT id, outcome, rows_merged, report FROM operator_files');
    expect(logged).toEqual([expect.objectContaining({ id: report.fileId, outcome: 'rejected', rows_merged: '0' })]);
    expect(logged[0].report.checks).toEqual(report.checks);
  });

  it('judges a rejected file again when it is sent again, and lets its fixed version merge', async () => {
    const bad = good + '\n2020-02-01,490154203237518,432111234567890,09121234567,4G';
    const first = await importFile(req(bad));
    const second = await importFile(req(bad));
    expect([first.report.outcome, second.report.outcome]).toEqual(['rejected', 'rejected']);
    expect(second.report.fileId).not.toBe(first.report.fileId);
    const fixed = await importFile(req(good));
    expect(fixed.report.outcome).toBe('merged');
    expect(await count()).toBeGreaterThan(0);
    expect((await ds.query('SELECT outcome FROM operator_files ORDER BY id')).map((r: { outcome: string }) => r.outcome)).toEqual(['rejected', 'rejected', 'merged']);
  });

  it('rejects a file with dates in the future', async () => {
    const { report } = await importFile(req(good, { today: d('2020-01-04') }));
    expect(report.checks.find((c) => c.check === 'date_future')).toMatchObject({ passed: false, count: 2 });
    expect(await count()).toBe(0);
  });

  it('rejects a file whose share of malformed IMEIs is above the threshold, naming the wrong check digit row', async () => {
    const { report } = await importFile(
      req('date,imei,imsi,msisdn,rat\n2020-01-05,490154203237517,432111234567890,09121234567,4G\n2020-01-05,490154203237518,432111234567890,09121234567,4G'),
    );
    expect(report.outcome).toBe('rejected');
    expect(report.checks.find((c) => c.check === 'malformed_imei')).toMatchObject({ passed: false, count: 1 });
    expect(report.samples[0]).toMatchObject({ line: 2, imei: '490154203237517' });
    expect(await count()).toBe(0);
  });

  it('merges a file whose few bad rows stay under the thresholds, skipping them', async () => {
    const lines = [good];
    for (let i = 0; i < 20; i++) lines.push(`2020-01-06,${35209900176148 + i},432111234567890,09121234567,4G`);
    lines.push('2020-01-06,,432111234567890,09121234567,4G');
    const { report } = await importFile(req(lines.join('\n')));
    expect(report.outcome).toBe('merged');
    expect(report.rowsSkipped).toBe(1);
    expect(report.rowsMerged).toBe(24);
  });

  it("rejects a file with IMSIs of another operator's network", async () => {
    const { report } = await importFile(req(good.replace('432119876543210', '432359876543210')));
    expect(report.checks.find((c) => c.check === 'foreign_imsi')).toMatchObject({ passed: false, count: 1 });
    expect(report.samples[0]).toMatchObject({ check: 'foreign_imsi', imsi: '432359876543210' });
    expect(await count()).toBe(0);
  });

  it('counts rows with the wrong number of fields and rejects above the threshold', async () => {
    const { report } = await importFile(req('date,imei,imsi,msisdn,rat\n2020-01-05,490154203237518\n'));
    expect(report.outcome).toBe('rejected');
    expect(report.structureSamples[0]).toMatchObject({ line: 2 });
    expect(await count()).toBe(0);
  });

  it('refuses an empty upload', async () => {
    await expect(importFile(req(''))).rejects.toThrow(/empty/);
  });

  it('refuses an upload above the size limit while streaming it', async () => {
    await expect(importFile(req(good, { maxBytes: 50 }))).rejects.toThrow(/larger than 50 bytes/);
    expect(await count()).toBe(0);
  });
});
