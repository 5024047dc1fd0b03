import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { createHamtaTestDatabase } from '../../../test/support/hamta-test-db.js';
import { PgOwnershipFileImporter, type OwnershipFileRequest } from './pg-ownership-file.importer.js';

const ALI = '0012345679';
const SARA = '0084575948';

describe('subscriber-ownership bulk file import (row checks, COPY to staging, all-or-nothing merge)', () => {
  let db: Awaited<ReturnType<typeof createHamtaTestDatabase>>;
  let ds: DataSource;
  let importer: PgOwnershipFileImporter;
  const req = (body: string | Buffer, over: Partial<OwnershipFileRequest> = {}): OwnershipFileRequest => ({
    operatorCode: 'MCI',
    body: Readable.from([Buffer.from(body)]),
    maxBytes: 1_000_000,
    maxBadRatio: 0,
    now: new Date('2025-01-01T00:00:00Z'),
    ...over,
  });
  const rows = () =>
    ds.query(`SELECT msisdn, national_code, operator_code, valid_from, valid_to FROM subscriber_ownerships ORDER BY msisdn, valid_from`);
  const files = async () => Number((await ds.query(`SELECT count(*) n FROM operator_files WHERE kind = 'subscribers'`))[0].n);

  beforeAll(async () => {
    db = await createHamtaTestDatabase('ownership');
    ds = db.dataSource;
    importer = new PgOwnershipFileImporter(ds);
  });
  afterAll(() => db.drop());
  beforeEach(() => ds.query('TRUNCATE subscriber_ownerships, operator_files, outbox'));
  const published = () =>
    ds.query(`SELECT topic, key, type, payload FROM outbox ORDER BY id`) as Promise<{ topic: string; key: string; type: string; payload: Record<string, unknown> }[]>;

  const good = [
    'msisdn,national_code,valid_from,valid_to',
    `09121234567,${ALI},2019-01-01,2022-06-01`,
    `09121234567,${SARA},2022-06-01,`,
    `09127777777,,2020-03-01T08:00:00Z,`,
  ].join('\n');

  it('merges every row keyed by (msisdn, valid_from), with the uploading operator', async () => {
    const report = await importer.import(req(good));
    expect(report).toMatchObject({ outcome: 'merged', rowsTotal: 3, rowsMerged: 3, rowsSkipped: 0 });
    expect(await rows()).toEqual([
      { msisdn: '989121234567', national_code: ALI, operator_code: 'MCI', valid_from: new Date('2019-01-01T00:00:00Z'), valid_to: new Date('2022-06-01T00:00:00Z') },
      { msisdn: '989121234567', national_code: SARA, operator_code: 'MCI', valid_from: new Date('2022-06-01T00:00:00Z'), valid_to: null },
      { msisdn: '989127777777', national_code: null, operator_code: 'MCI', valid_from: new Date('2020-03-01T08:00:00Z'), valid_to: null },
    ]);
  });

  it('recognises the same content re-uploaded gzipped as a duplicate and changes nothing', async () => {
    await importer.import(req(good));
    const before = await rows();
    const again = await importer.import(req(gzipSync(good)));
    expect(again.outcome).toBe('duplicate');
    expect(await rows()).toEqual(before);
    expect(await files()).toBe(1);
  });

  it('overwrites a key the Kafka stream wrote earlier instead of adding a second owner for it', async () => {
    await ds.query(`INSERT INTO subscriber_ownerships VALUES ('989121234567', '2019-01-01T00:00:00Z', $1, 'MCI', NULL)`, [SARA]);
    await importer.import(req(good));
    expect((await rows()).filter((r: { valid_from: Date }) => r.valid_from.getTime() === Date.parse('2019-01-01T00:00:00Z'))).toHaveLength(1);
    expect((await rows())[0].national_code).toBe(ALI);
  });

  it('rejects the whole file for one bad national code, naming the line: no row merged, the verdict logged', async () => {
    const content = good + `\n09125555555,0012345678,2020-01-01,`;
    const report = await importer.import(req(content));
    expect(report.outcome).toBe('rejected');
    expect(report.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['malformed_national_code']);
    expect(report.samples).toEqual([expect.objectContaining({ line: 5, check: 'malformed_national_code' })]);
    expect(await rows()).toEqual([]);
    const [logged] = await ds.query(`SELECT id, outcome, rows_merged, report FROM operator_files WHERE kind = 'subscribers'`);
    expect(logged).toMatchObject({ id: report.fileId, outcome: 'rejected', rows_merged: '0' });
    expect(logged.report.samples).toEqual(report.samples);
    // A rejected file is not a duplicate of itself: the same content is judged (and logged) again.
    const again = await importer.import(req(content));
    expect(again.outcome).toBe('rejected');
    expect(again.fileId).not.toBe(report.fileId);
    expect(await files()).toBe(2);
    expect(await rows()).toEqual([]);
  });

  it('rejects conflicting duplicates of one key (two owners from the same moment)', async () => {
    const report = await importer.import(req(good + `\n09127777777,${ALI},2020-03-01T08:00:00Z,`));
    expect(report.outcome).toBe('rejected');
    expect(report.checks.find((c) => c.check === 'conflicting_duplicates')).toMatchObject({ passed: false, count: 2 });
    expect(report.samples.map((s) => s.line)).toEqual([4, 5]);
    expect(await rows()).toEqual([]);
  });

  it('accepts identical duplicates as one row', async () => {
    const report = await importer.import(req(good + `\n09127777777,,2020-03-01T08:00:00Z,`));
    expect(report).toMatchObject({ outcome: 'merged', rowsTotal: 4, rowsMerged: 3 });
  });

  it('rejects rows with the wrong number of fields and valid_from in the future', async () => {
    const report = await importer.import(req(good + `\n09121234567,${ALI}\n09121111111,${ALI},2025-02-01,`));
    expect(report.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['columns', 'valid_from_future']);
    expect(await rows()).toEqual([]);
  });

  it('refuses a wrong header, a corrupt gzip stream and a file over the size limit, writing nothing', async () => {
    await expect(importer.import(req('msisdn,owner\n09121234567,0012345679'))).rejects.toMatchObject({ check: 'header' });
    await expect(importer.import(req(Buffer.concat([gzipSync(good).subarray(0, 30), Buffer.alloc(20, 7)])))).rejects.toMatchObject({ check: 'gzip' });
    await expect(importer.import(req(good, { maxBytes: 10 }))).rejects.toMatchObject({ check: 'too_large' });
    expect(await rows()).toEqual([]);
    expect(await files()).toBe(0);
  });

  it('stops a file that passes the size limit half-way through COPY, leaving the connection usable', async () => {
    const line = Buffer.from(`\n09121234567,${ALI},2019-01-01,`.repeat(100));
    async function* endless() {
      yield Buffer.from(good);
      for (let i = 0; i < 10_000; i++) yield line;
    }
    await expect(importer.import(req('', { body: Readable.from(endless()), maxBytes: 100_000 }))).rejects.toMatchObject({ check: 'too_large' });
    expect(await rows()).toEqual([]);
    expect((await importer.import(req(good))).outcome).toBe('merged');
  });

  describe('numbers of other operators (issue 15.3)', () => {
    const irancellRow = `INSERT INTO subscriber_ownerships (msisdn, valid_from, national_code, operator_code) VALUES ('989351234567', '2019-01-01', '${SARA}', 'IRANCELL')`;

    it("rejects a file with a number another operator holds, leaving that operator's row as it was", async () => {
      await ds.query(irancellRow);
      const report = await importer.import(req(['msisdn,national_code,valid_from,valid_to', `09121234567,${ALI},2019-01-01,`, `09351234567,${ALI},2024-01-01,`].join('\n')));
      expect(report.outcome).toBe('rejected');
      expect(report.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['foreign_msisdn']);
      expect(report.samples).toEqual([expect.objectContaining({ line: 3, check: 'foreign_msisdn', message: expect.stringContaining('09351234567 is held by IRANCELL') })]);
      expect(await rows()).toEqual([expect.objectContaining({ msisdn: '989351234567', national_code: SARA, operator_code: 'IRANCELL' })]);
      expect(await published()).toEqual([]);
    });

    it("never overwrites another operator's (msisdn, valid_from) row, even one older than its latest", async () => {
      await ds.query(irancellRow);
      // the number was later ported to MCI by an explicit ownership event
      await ds.query(`INSERT INTO subscriber_ownerships (msisdn, valid_from, national_code, operator_code) VALUES ('989351234567', '2023-01-01', '${ALI}', 'MCI')`);
      const rewrite = await importer.import(req(['msisdn,national_code,valid_from,valid_to', `09351234567,${ALI},2019-01-01,`].join('\n')));
      expect(rewrite.outcome).toBe('rejected');
      expect(rewrite.checks.find((c) => c.check === 'foreign_msisdn')).toMatchObject({ passed: false, count: 1 });
      // its own records of the ported number are its to update
      const own = await importer.import(req(['msisdn,national_code,valid_from,valid_to', `09351234567,${ALI},2023-01-01,2024-01-01`].join('\n')));
      expect(own.outcome).toBe('merged');
      expect((await rows()).map((r: { operator_code: string; national_code: string }) => [r.operator_code, r.national_code])).toEqual([['IRANCELL', SARA], ['MCI', ALI]]);
    });

    it('publishes SubscriberOwnershipChangedV1 on hamta.subscribers for every row a merged file changes, and only those', async () => {
      await importer.import(req(good));
      expect(await published()).toEqual([
        { topic: 'hamta.subscribers', key: '989121234567', type: 'ir.darvazeh.hamta.subscriber.ownership-changed.v1', payload: { operatorCode: 'MCI', msisdn: '989121234567', nationalCode: ALI, validFrom: '2019-01-01T00:00:00.000000Z', validTo: '2022-06-01T00:00:00.000000Z' } },
        { topic: 'hamta.subscribers', key: '989121234567', type: 'ir.darvazeh.hamta.subscriber.ownership-changed.v1', payload: { operatorCode: 'MCI', msisdn: '989121234567', nationalCode: SARA, validFrom: '2022-06-01T00:00:00.000000Z', validTo: null } },
        { topic: 'hamta.subscribers', key: '989127777777', type: 'ir.darvazeh.hamta.subscriber.ownership-changed.v1', payload: { operatorCode: 'MCI', msisdn: '989127777777', nationalCode: null, validFrom: '2020-03-01T08:00:00.000000Z', validTo: null } },
      ]);
      await ds.query('TRUNCATE outbox');
      // a later export repeating two rows and ending the third: one change
      const next = await importer.import(req(good.replace('09127777777,,2020-03-01T08:00:00Z,', '09127777777,,2020-03-01T08:00:00Z,2024-05-01')));
      expect(next).toMatchObject({ outcome: 'merged', rowsMerged: 3, rowsChanged: 1 });
      expect((await published()).map((e) => e.payload)).toEqual([{ operatorCode: 'MCI', msisdn: '989127777777', nationalCode: null, validFrom: '2020-03-01T08:00:00.000000Z', validTo: '2024-05-01T00:00:00.000000Z' }]);
    });
  });
});
