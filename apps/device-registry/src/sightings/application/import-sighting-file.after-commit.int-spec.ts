import { Readable } from 'node:stream';
import { TypeOrmTransactionRunner } from '@darvazeh/database';
import { createHamtaTestDatabase } from '../../../test/support/hamta-test-db.js';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { EirIndexService } from '../../eir/application/eir-index.service.js';
import { PgImeiIndexSource } from '../../eir/persistence/pg-imei-index.source.js';
import { parseOperatorPlmns } from '../../shared/domain/operator-network.js';
import { PgSightingFileImporter } from '../persistence/pg-sighting-file.importer.js';
import { ImportSightingFileUseCase } from './import-sighting-file.use-case.js';

const IMEI = '490154203237518';
const OTHER_IMEI = '352099001761481';
const settings = new HamtaSettings('2020-12-22', { cutoffDay: 18618, enforcementDay: 99999, graceDays: 30 }, parseOperatorPlmns(''), {
  maxNullImeiRatio: 0,
  maxMalformedImeiRatio: 0,
  maxMalformedOtherRatio: 0,
  maxForeignImsiRatio: 0,
}, 31, 1e9);
const file = [
  'date,imei,imsi,msisdn,rat',
  `2020-12-01,${IMEI},432111234567890,09121234567,4G`,
  `2020-12-03,${OTHER_IMEI},432119876543210,09129876543,3G`,
].join('\n');
const upload = () => ({
  operatorCode: 'MCI',
  contentType: 'text/csv',
  contentLength: Buffer.byteLength(file),
  body: Readable.from([Buffer.from(file)]),
  from: '2020-12-01',
  to: '2020-12-05',
});

/**
 * Issue 10 §3: a sightings file reaches the EIR index through TransactionRunner.afterCommit like
 * every other change — only once the merge has committed, never when it rolls back (here: its
 * COMMIT refused by a deferred constraint trigger, or an enclosing transaction failing). Real PostgreSQL.
 */
describe('an imported sightings file reaches the EIR index only after its commit', () => {
  let db: Awaited<ReturnType<typeof createHamtaTestDatabase>>;
  let tx: TypeOrmTransactionRunner;
  let eir: EirIndexService;
  let useCase: ImportSightingFileUseCase;
  const count = async (table: string) => Number((await db.dataSource.query(`SELECT count(*) n FROM ${table}`))[0].n);

  beforeAll(async () => {
    db = await createHamtaTestDatabase('import_after_commit');
    tx = new TypeOrmTransactionRunner(db.dataSource);
    eir = new EirIndexService(new PgImeiIndexSource(db.dataSource), settings);
    useCase = new ImportSightingFileUseCase(tx, new PgSightingFileImporter(tx), settings, new EirIndexEffects(tx, eir));
  });
  afterAll(() => db.drop());

  it('leaves the index (and the tables) unchanged when the merge fails to commit', async () => {
    await db.dataSource.query(`
      CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$;
      CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON sightings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();`);
    const before = [eir.check(IMEI), eir.check(OTHER_IMEI)];
    expect(before[0].reason).not.toBe('PRE_SCHEME');
    try {
      await expect(useCase.execute(upload())).rejects.toThrow('commit refused by the test');
    } finally {
      await db.dataSource.query('DROP TRIGGER refuse_commit ON sightings; DROP FUNCTION refuse_commit();');
    }
    expect([eir.check(IMEI), eir.check(OTHER_IMEI)]).toEqual(before);
    expect(await count('sightings')).toBe(0);
    expect(await count('operator_files')).toBe(0);
  });

  it('leaves the index unchanged when an enclosing transaction fails after the import ran', async () => {
    const before = eir.check(IMEI);
    await expect(
      tx.run(async () => {
        await useCase.execute(upload());
        throw new Error('the enclosing work fails');
      }),
    ).rejects.toThrow('the enclosing work fails');
    expect(eir.check(IMEI)).toEqual(before);
    expect(await count('sightings')).toBe(0);
  });

  it('applies the file once its merge commits', async () => {
    const before = eir.check(IMEI);
    let inside = before;
    const report = await tx.run(async () => {
      const r = await useCase.execute(upload());
      inside = eir.check(IMEI);
      return r;
    });
    expect(report.outcome).toBe('merged');
    expect(inside).toEqual(before);
    expect(eir.check(IMEI)).toMatchObject({ colour: 'white', reason: 'PRE_SCHEME' });
    expect(eir.check(OTHER_IMEI)).toMatchObject({ colour: 'white', reason: 'PRE_SCHEME' });
    expect(await count('sightings')).toBe(2);
  });
});
