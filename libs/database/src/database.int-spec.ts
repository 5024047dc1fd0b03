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

  it('runs after-commit effects once, after the outermost commit, in registration order', async () => {
    const seen: string[] = [];
    await runner.run(async (outer) => {
      runner.afterCommit(() => void seen.push('outer-1'));
      await runner.run(async (inner) => {
        await inner.query(`INSERT INTO device_owner (national_code) VALUES ('effects')`);
        runner.afterCommit(() => void seen.push('inner'));
      });
      // The nested run has returned, but nothing is committed yet: no effect may have run.
      expect(seen).toEqual([]);
      runner.afterCommit(async () => {
        // By now the row is visible to another connection: the commit really happened.
        const rows = await dataSource.query(`SELECT 1 FROM device_owner WHERE national_code = 'effects'`);
        seen.push(`outer-2:${rows.length}`);
      });
      await outer.query('SELECT 1');
    });
    expect(seen).toEqual(['outer-1', 'inner', 'outer-2:1']);
  });

  it('drops the effects of a transaction that rolls back', async () => {
    const seen: string[] = [];
    await expect(
      runner.run(async () => {
        await runner.run(async () => runner.afterCommit(() => void seen.push('nested')));
        runner.afterCommit(() => void seen.push('outer'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(seen).toEqual([]);
  });

  it('runs an effect at once outside a transaction, and keeps a failing effect from undoing the commit', async () => {
    const seen: string[] = [];
    runner.afterCommit(() => void seen.push('now'));
    expect(seen).toEqual(['now']);
    const result = await runner.run(async () => {
      runner.afterCommit(() => {
        throw new Error('effect bug');
      });
      runner.afterCommit(() => void seen.push('after the failing one'));
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(seen).toEqual(['now', 'after the failing one']);
  });

  it('drops only the effects registered after a savepoint mark when rolled back to it', async () => {
    const seen: string[] = [];
    await runner.run(async (m) => {
      runner.afterCommit(() => void seen.push('kept'));
      await m.query('SAVEPOINT sp');
      const mark = runner.effectsMark();
      runner.afterCommit(() => void seen.push('dropped'));
      await m.query('ROLLBACK TO SAVEPOINT sp');
      runner.discardEffectsSince(mark);
      runner.afterCommit(() => void seen.push('later'));
    });
    expect(seen).toEqual(['kept', 'later']);
  });

  it('uses READ COMMITTED by default and the asked isolation otherwise', async () => {
    const level = (m: { query: (q: string) => Promise<{ transaction_isolation: string }[]> }) =>
      m.query('SHOW transaction_isolation').then((r) => r[0]!.transaction_isolation);
    expect(await runner.run(level)).toBe('read committed');
    expect(await runner.run(level, { isolation: 'SERIALIZABLE' })).toBe('serializable');
  });
});
