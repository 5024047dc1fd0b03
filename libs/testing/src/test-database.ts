import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as DATABASE_URL). */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * Every database a test creates or drops must say so in its name: a typo in a URL must never
 * let a test drop `darvazeh_identity` or `postgres`.
 */
export function assertTestDatabaseName(name: string): void {
  if (!/test/i.test(name)) {
    throw new Error(`refusing to use database "${name}" in a test: test database names must contain "test"`);
  }
  if (!/^[a-z0-9_]{1,63}$/.test(name)) {
    throw new Error(`invalid test database name "${name}": use 1-63 of [a-z0-9_]`);
  }
}

/** The server every test database lives on: DATABASE_URL, as exported by `npm test`. */
export function testDatabaseServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run tests with `npm test` (which starts an embedded PostgreSQL), '
      + 'or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres',
    );
  }
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, empty database `darvazeh_test_<label>_<random>` on the DATABASE_URL server,
 * so test files never see each other's rows. Pass `{ name }` to choose the exact name (it must
 * still contain `test`).
 */
export async function createTestDatabase(label: string, options: { name?: string } = {}): Promise<TestDatabase> {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  const name = options.name ?? `darvazeh_test_${slug || 'db'}_${randomBytes(5).toString('hex')}`;
  assertTestDatabaseName(name);
  const serverUrl = testDatabaseServerUrl();
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await dropTestDatabase(name);
    },
  };
}

/** Drops a test database by name (refuses names without `test`). */
export async function dropTestDatabase(name: string): Promise<void> {
  assertTestDatabaseName(name);
  await onServer(testDatabaseServerUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
