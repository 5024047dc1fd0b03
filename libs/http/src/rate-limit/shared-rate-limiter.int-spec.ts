import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@darvazeh/database';
import { createTestDatabase, type TestDatabase } from '@darvazeh/testing';
import { SharedRateLimiter, rateLimitMigrations } from './shared-rate-limiter.js';

describe('SharedRateLimiter on PostgreSQL', () => {
  let db: TestDatabase;
  // Two DataSources on one database stand for two replicas of a service.
  let replicaA: DataSource;
  let replicaB: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('rate_limit');
    replicaA = createDataSource({ url: db.url, migrations: [rateLimitMigrations] });
    replicaB = createDataSource({ url: db.url, migrations: [rateLimitMigrations] });
    await replicaA.initialize();
    await replicaB.initialize();
    await runMigrations(replicaA);
  });

  afterAll(async () => {
    if (replicaA?.isInitialized) await replicaA.destroy();
    if (replicaB?.isInitialized) await replicaB.destroy();
    await db?.drop();
  });

  it('shares one budget between replicas: N replicas do not multiply the limit', async () => {
    const rule = { name: 'shared-test', points: 4, durationSeconds: 60 };
    const onA = SharedRateLimiter.postgres(replicaA, rule);
    const onB = SharedRateLimiter.postgres(replicaB, rule);
    const decisions = [];
    for (let i = 0; i < 3; i++) {
      decisions.push(await onA.take('10.0.0.1'));
      decisions.push(await onB.take('10.0.0.1'));
    }
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false, false]);
    expect(decisions[3]!.remaining).toBe(0);
    const refused = decisions[4]!;
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    const [{ points }] = await replicaA.query(`SELECT points FROM rate_limits WHERE key = 'shared-test:10.0.0.1'`);
    expect(points).toBe(6);
  });

  it('keeps keys and rules apart', async () => {
    const strict = SharedRateLimiter.postgres(replicaA, { name: 'strict', points: 1, durationSeconds: 60 });
    const other = SharedRateLimiter.postgres(replicaA, { name: 'other', points: 1, durationSeconds: 60 });
    expect((await strict.take('k1')).allowed).toBe(true);
    expect((await strict.take('k1')).allowed).toBe(false);
    expect((await strict.take('k2')).allowed).toBe(true);
    expect((await other.take('k1')).allowed).toBe(true);
  });

  it('peek reads the budget without spending it; refund gives a point back', async () => {
    const limiter = SharedRateLimiter.postgres(replicaA, { name: 'peeked', points: 2, durationSeconds: 60 });
    expect(await limiter.peek('k')).toMatchObject({ allowed: true, retryAfterSeconds: 0, remaining: 2 });
    await limiter.take('k');
    await limiter.take('k');
    const spent = await limiter.peek('k');
    expect(spent.allowed).toBe(false);
    expect(spent.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await limiter.refund('k');
    expect(await limiter.peek('k')).toMatchObject({ allowed: true, remaining: 1 });
    expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
  });

  it('a new window restores the budget', async () => {
    const limiter = SharedRateLimiter.postgres(replicaA, { name: 'short', points: 1, durationSeconds: 1 });
    expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await limiter.take('k')).allowed).toBe(true);
  });

  it('falls back to a per-replica limit with the same rule when the store fails', async () => {
    const broken = createDataSource({ url: db.url, migrations: [] });
    await broken.initialize();
    const limiter = SharedRateLimiter.postgres(broken, { name: 'fallback', points: 2, durationSeconds: 60 });
    await broken.destroy(); // every store query now fails
    const decisions = [await limiter.take('k'), await limiter.take('k'), await limiter.take('k')];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
  });
});

describe('SharedRateLimiter in memory (one process)', () => {
  it('refuses past the budget with a Retry-After in whole seconds', async () => {
    const limiter = SharedRateLimiter.memory({ name: 'mem', points: 2, durationSeconds: 30 });
    const decisions = [await limiter.take('x'), await limiter.take('x'), await limiter.take('x')];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(decisions[2]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(decisions[2]!.retryAfterSeconds).toBeLessThanOrEqual(30);
  });
});
