import { describe, expect, it } from '@jest/globals';
import { EdgeRateLimits, leaseSize } from './edge-rate-limits.js';

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
});
