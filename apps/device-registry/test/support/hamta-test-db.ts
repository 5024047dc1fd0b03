import pg from 'pg';
import { DataSource } from 'typeorm';
import { HAMTA_MIGRATIONS } from '../../src/migrations/index.js';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database (name contains `test`) with every Hamta migration run from empty, for one
 * integration test file. Until libs/testing's createTestDatabase is used everywhere.
 */
export async function createHamtaTestDatabase(label: string): Promise<{ url: string; dataSource: DataSource; drop(): Promise<void> }> {
  const name = `hamta_test_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!name.includes('test')) throw new Error(`refusing database ${name}`);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataSource = new DataSource({ type: 'postgres', url: url.toString(), migrations: HAMTA_MIGRATIONS, poolSize: 4 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    url: url.toString(),
    dataSource,
    async drop() {
      await dataSource.destroy();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
