import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Column, Entity, PrimaryGeneratedColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createDataSource, runMigrations } from './create-data-source.js';
import { TypeOrmTransactionRunner } from './typeorm-transaction-runner.js';
import { createTestDatabase } from '@darvazeh/testing';

@Entity()
class DeviceOwner {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  nationalCode!: string;
}

class Owners1700000000000 implements MigrationInterface {
  name = 'Owners1700000000000';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE device_owner (id serial PRIMARY KEY, national_code text NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE device_owner');
  }
}

describe('database: data source, migrations and the ambient transaction', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  let runner: TypeOrmTransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase('database');
    dataSource = createDataSource({ url: db.url, entities: [DeviceOwner], migrations: [Owners1700000000000], applicationName: 'db-test' });
    expect(await runMigrations(dataSource)).toEqual(['Owners1700000000000']);
    runner = new TypeOrmTransactionRunner(dataSource);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const count = async () => Number((await dataSource.query('SELECT count(*) AS n FROM device_owner'))[0].n);

  it('maps camelCase entities to snake_case tables and columns', async () => {
    await dataSource.getRepository(DeviceOwner).save({ nationalCode: '0012345678' });
    expect(await dataSource.query('SELECT national_code FROM device_owner')).toEqual([{ national_code: '0012345678' }]);
  });

  it('runs migrations once (a second run does nothing)', async () => {
    expect(await runMigrations(dataSource)).toEqual([]);
  });

  it('joins the outer transaction in a nested run: one rollback undoes both', async () => {
    const before = await count();
    await expect(
      runner.run(async (outer) => {
        await outer.query(`INSERT INTO device_owner (national_code) VALUES ('outer')`);
        await runner.run(async (inner) => {
          expect(inner).toBe(outer);
          expect(runner.manager()).toBe(outer);
          await inner.query(`INSERT INTO device_owner (national_code) VALUES ('inner')`);
        });
        throw new Error('fail after the nested work');
      }),
    ).rejects.toThrow('fail after');
    expect(await count()).toBe(before);
  });

  it('commits nested work together with the outer transaction', async () => {
    const before = await count();
    await runner.run(async () => {
      await runner.run((m) => m.query(`INSERT INTO device_owner (national_code) VALUES ('a')`));
      await runner.manager().query(`INSERT INTO device_owner (national_code) VALUES ('b')`);
    });
    expect(await count()).toBe(before + 2);
    expect(runner.manager()).toBe(dataSource.manager);
  });

  it('uses READ COMMITTED by default and the asked isolation otherwise', async () => {
    const level = (m: { query: (q: string) => Promise<{ transaction_isolation: string }[]> }) =>
      m.query('SHOW transaction_isolation').then((r) => r[0]!.transaction_isolation);
    expect(await runner.run(level)).toBe('read committed');
    expect(await runner.run(level, { isolation: 'SERIALIZABLE' })).toBe('serializable');
  });
});
