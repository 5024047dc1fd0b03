// Test support local to libs/messaging until @darvazeh/testing provides the same helpers.
import pg from 'pg';
import { randomUUID } from 'node:crypto';

/** Kafka bootstrap servers for integration tests (`KAFKA_BROKERS`, set by scripts/run-tests.mjs). */
export function testKafkaBrokers(): string[] {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: run through `npm test` (it starts a broker) or export it');
  return brokers;
}

/** A fresh database whose name contains `test`, on DATABASE_URL's server. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  if (!name.includes('test')) throw new Error(`refusing database ${name}`);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
