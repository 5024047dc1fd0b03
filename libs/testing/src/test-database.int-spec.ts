import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, testDatabaseServerUrl, type TestDatabase } from './test-database.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const exists = async (name: string) =>
  (await query(testDatabaseServerUrl(), 'select 1 from pg_database where datname = $1', [name])).length === 1;

describe('createTestDatabase (real PostgreSQL)', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of made) await db.drop();
  });

  it('creates an empty database named darvazeh_test_<label>_<random> reachable at its url', async () => {
    const db = await createTestDatabase('Identity Agencies');
    made.push(db);
    expect(db.name).toMatch(/^darvazeh_test_identity_agencies_[0-9a-f]{10}$/);
    const [row] = await query<{ db: string }>(db.url, 'select current_database() as db');
    expect(row.db).toBe(db.name);
    const tables = await query(db.url, "select 1 from information_schema.tables where table_schema = 'public'");
    expect(tables).toHaveLength(0);
  });

  it('gives two calls with the same label two separate databases', async () => {
    const a = await createTestDatabase('same');
    const b = await createTestDatabase('same');
    made.push(a, b);
    expect(a.name).not.toBe(b.name);
    await query(a.url, 'create table only_in_a (id int)');
    const inB = await query(b.url, "select 1 from information_schema.tables where table_name = 'only_in_a'");
    expect(inB).toHaveLength(0);
  });

  it('drop() removes the database even while a connection is still open on it', async () => {
    const db = await createTestDatabase('dropme');
    const open = new pg.Client({ connectionString: db.url });
    open.on('error', () => undefined); // the forced drop terminates this session
    await open.connect();
    expect(await exists(db.name)).toBe(true);
    await db.drop();
    expect(await exists(db.name)).toBe(false);
    await open.end().catch(() => undefined);
  });
});
