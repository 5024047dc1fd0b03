import pg from 'pg';
import { DataSource } from 'typeorm';
import { messagingMigrations } from '@darvazeh/messaging';
import { HAMTA_MIGRATIONS } from '../../apps/device-registry/src/migrations/index.js';

/** A fresh database for one benchmark run (name contains `test`, dropped at the end). */
export async function benchDatabase(label: string): Promise<{ url: string; dataSource: DataSource; drop(): Promise<void> }> {
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hamta_bench_test_${label}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dataSource = new DataSource({ type: 'postgres', url: url.toString(), migrations: [...messagingMigrations, ...HAMTA_MIGRATIONS], poolSize: 4 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    url: url.toString(),
    dataSource,
    async drop() {
      await dataSource.destroy();
      const a = new pg.Client({ connectionString: admin });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
