import { describe, expect, it } from '@jest/globals';
import { SharedRateLimiter, type RateLimitDecision, type RateLimitRule } from '@darvazeh/http';
import { EdgeRateLimits, leaseSize } from './edge-rate-limits.js';

/** An in-memory limiter whose answers are held until released: shows who waits for the shared store. */
function heldLimiter(rule: RateLimitRule) {
  const inner = SharedRateLimiter.memory(rule);
  const held: (() => void)[] = [];
  let takes = 0;
  const limiter = Object.create(inner) as SharedRateLimiter;
  limiter.take = (key: string, points = 1) => {
    takes += 1;
    return new Promise<RateLimitDecision>((resolve) => held.push(() => void inner.take(key, points).then(resolve)));
  };
  return { limiter, release: () => held.splice(0).forEach((go) => go()), takes: () => takes };
}

// store 'postgres' without a DataSource: the lease logic over the in-memory SharedRateLimiter.
describe('edge rate limits with leases', () => {
  it('keeps small budgets exact (lease of one point) and leases at most 2% (≤100) of large ones', () => {
    expect([leaseSize(3), leaseSize(99), leaseSize(600), leaseSize(1_000_000)]).toEqual([1, 1, 12, 100]);
  });

  it('never lets more than the budget through, also with concurrent callers of one key', async () => {
    const limits = new EdgeRateLimits('postgres', undefined);
    const verdicts = await Promise.all(Array.from({ length: 1_100 }, () => limits.take('g', 1_000, 60, 'caller')));
    const allowed = verdicts.filter((v) => v.allowed).length;
    expect(allowed).toBeLessThanOrEqual(1_000);
    expect(allowed).toBeGreaterThanOrEqual(1_000 - leaseSize(1_000));
    const refused = verdicts.find((v) => !v.allowed)!;
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(verdicts[0].limit).toBe(1_000);
  });

  it('budgets of different callers are independent', async () => {
    const limits = new EdgeRateLimits('postgres', undefined);
    for (let i = 0; i < 3; i++) await limits.take('g', 3, 60, 'a');
    expect((await limits.take('g', 3, 60, 'a')).allowed).toBe(false);
    expect((await limits.take('g', 3, 60, 'b')).allowed).toBe(true);
  });

  it('reserves the next lease ahead: callers of a busy key do not wait for the shared store while points are left', async () => {
    let store!: ReturnType<typeof heldLimiter>;
    const limits = new EdgeRateLimits('postgres', undefined, Date.now, (rule) => (store = heldLimiter(rule)).limiter);
    // Budget 1,000: leases of 20 points.
    const first = limits.take('g', 1_000, 60, 'busy');
    await Promise.resolve();
    store.release();
    expect((await first).allowed).toBe(true);
    expect(store.takes()).toBe(1);
    // 15 more leave 4 (≤ a quarter): the refill is asked for, held — and the next 4 callers still pass at once.
    for (let i = 0; i < 15; i++) await limits.take('g', 1_000, 60, 'busy');
    expect(store.takes()).toBe(2);
    for (let i = 0; i < 4; i++) expect((await limits.take('g', 1_000, 60, 'busy')).allowed).toBe(true);
    store.release();
    await new Promise((r) => setImmediate(r));
    // The refill added its 20 points to the lease: 14 more pass without asking, the 15th (5 left) asks again.
    for (let i = 0; i < 14; i++) expect((await limits.take('g', 1_000, 60, 'busy')).allowed).toBe(true);
    expect(store.takes()).toBe(2);
    expect((await limits.take('g', 1_000, 60, 'busy')).allowed).toBe(true);
    expect(store.takes()).toBe(3);
    store.release();
  });
});
