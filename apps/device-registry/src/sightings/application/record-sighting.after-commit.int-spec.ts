import { TypeOrmTransactionRunner } from '@darvazeh/database';
import { createHamtaTestDatabase } from '../../../test/support/hamta-test-db.js';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { EirIndexService } from '../../eir/application/eir-index.service.js';
import { PgImeiIndexSource } from '../../eir/persistence/pg-imei-index.source.js';
import { parseOperatorPlmns } from '../../shared/domain/operator-network.js';
import { TypeOrmSightingRepository } from '../persistence/typeorm-sighting.repository.js';
import { RecordSightingUseCase } from './record-sighting.use-case.js';

const IMEI = '490154203237518';
const settings = new HamtaSettings('2020-12-22', { cutoffDay: 18618, enforcementDay: 99999, graceDays: 30 }, parseOperatorPlmns(''), {
  maxNullImeiRatio: 0,
  maxMalformedImeiRatio: 0,
  maxMalformedOtherRatio: 0,
  maxForeignImsiRatio: 0,
}, 31, 1e9);
const sighting = { operatorCode: 'MCI', date: '2020-12-01', imei: IMEI, imsi: '432111234567890', msisdn: '09121234567', rat: '4G' };

/**
 * Issue 10 §1/§3: inside a consumer batch the use case joins the batch's transaction, so the EIR
 * index must learn a sighting only after that transaction commits (TransactionRunner.afterCommit),
 * and never when the batch fails after the use case ran. Real PostgreSQL.
 */
describe('a recorded sighting reaches the EIR index only after the commit', () => {
  let db: Awaited<ReturnType<typeof createHamtaTestDatabase>>;
  let tx: TypeOrmTransactionRunner;
  let eir: EirIndexService;
  let useCase: RecordSightingUseCase;

  beforeAll(async () => {
    db = await createHamtaTestDatabase('after_commit');
    tx = new TypeOrmTransactionRunner(db.dataSource);
    eir = new EirIndexService(new PgImeiIndexSource(db.dataSource), settings);
    useCase = new RecordSightingUseCase(tx, settings, new EirIndexEffects(tx, eir), new TypeOrmSightingRepository(tx));
  });
  afterAll(() => db.drop());

  it('leaves the index unchanged when the enclosing batch fails after the use case ran', async () => {
    const before = eir.check(IMEI);
    expect(before.reason).not.toBe('PRE_SCHEME');
    await expect(
      tx.run(async () => {
        await useCase.execute(sighting);
        throw new Error('the next message of the batch fails');
      }),
    ).rejects.toThrow('the next message');
    expect(eir.check(IMEI)).toEqual(before);
    expect(Number((await db.dataSource.query('SELECT count(*) n FROM sightings'))[0].n)).toBe(0);
  });

  it('applies it once the enclosing batch commits', async () => {
    const before = eir.check(IMEI);
    let inside = before;
    await tx.run(async () => {
      await useCase.execute(sighting);
      inside = eir.check(IMEI);
    });
    expect(inside).toEqual(before);
    expect(eir.check(IMEI)).toMatchObject({ colour: 'white', reason: 'PRE_SCHEME' });
  });
});
