import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations, TypeOrmTransactionRunner } from '@darvazeh/database';
import { createTestDatabase, type TestDatabase } from '@darvazeh/testing';
import { PrincipalDenylist } from './principal-denylist.js';
import { PrincipalRevocationConsumer } from './principal-revocation.consumer.js';
import { principalRevocationMigrations } from './principal-revocation.migrations.js';
import { PrincipalRevocationRefresher } from './principal-revocation.refresher.js';
import { PrincipalRevocationStore } from './principal-revocation.store.js';

// The consumer over real PostgreSQL, called inside a transaction as the event transport does.
describe('principal revocation: table, afterCommit and refresh', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let tx: TypeOrmTransactionRunner;
  let store: PrincipalRevocationStore;

  beforeAll(async () => {
    db = await createTestDatabase('principal_revocation');
    dataSource = createDataSource({ url: db.url, migrations: [...principalRevocationMigrations] });
    await runMigrations(dataSource);
    tx = new TypeOrmTransactionRunner(dataSource);
    store = new PrincipalRevocationStore(tx);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const event = (subject: string, at: string) => ({ principalId: '0190a0a0-0000-7000-8000-000000000001', subject, kind: 'service_client' as const, at });

  it('a rolled-back consumer transaction changes neither the table nor the in-memory set', async () => {
    const denylist = new PrincipalDenylist();
    const consumer = new PrincipalRevocationConsumer(tx, store, denylist);
    await expect(
      tx.run(async () => {
        await consumer.principalDisabled(event('op-rolled-back', '2026-01-01T00:00:00Z'));
        throw new Error('the batch failed after the handler');
      }),
    ).rejects.toThrow('the batch failed');
    expect(denylist.isDenied('op-rolled-back')).toBe(false);
    expect(await store.disabledSubjects()).not.toContain('op-rolled-back');
  });

  it('denies once the transaction commits, not before; an older event never undoes a newer one', async () => {
    const denylist = new PrincipalDenylist();
    const consumer = new PrincipalRevocationConsumer(tx, store, denylist);
    let seenInside: boolean | undefined;
    await tx.run(async () => {
      await consumer.principalDisabled(event('op-1', '2026-01-02T00:00:00Z'));
      seenInside = denylist.isDenied('op-1');
    });
    expect(seenInside).toBe(false);
    expect(denylist.isDenied('op-1')).toBe(true);
    // A late, older "enabled" (redelivered out of order) is ignored …
    await tx.run(() => consumer.principalEnabled(event('op-1', '2026-01-01T12:00:00Z')));
    expect(denylist.isDenied('op-1')).toBe(true);
    // … a newer one lifts the refusal.
    await tx.run(() => consumer.principalEnabled(event('op-1', '2026-01-03T00:00:00Z')));
    expect(denylist.isDenied('op-1')).toBe(false);
    // agency.disabled refuses the agency's client id (its tokens' sub).
    await tx.run(() => consumer.agencyDisabled({ agencyId: '0190a0a0-0000-7000-8000-000000000002', clientId: 'agency-client', disabledAt: '2026-01-04T00:00:00Z' }));
    expect(denylist.isDenied('agency-client')).toBe(true);
  });

  it('another replica (no event of its own) learns the denylist from the table at start and on refresh', async () => {
    const other = new PrincipalDenylist();
    const refresher = new PrincipalRevocationRefresher(store, other, { refreshIntervalMs: 0 });
    await refresher.onApplicationBootstrap();
    expect(other.isDenied('agency-client')).toBe(true);
    expect(other.isDenied('op-1')).toBe(false);
    await tx.run(() => new PrincipalRevocationConsumer(tx, store, new PrincipalDenylist()).principalDisabled(event('op-2', '2026-01-05T00:00:00Z')));
    expect(other.isDenied('op-2')).toBe(false);
    await refresher.refresh();
    expect(other.isDenied('op-2')).toBe(true);
    await refresher.onApplicationShutdown();
  });
});
