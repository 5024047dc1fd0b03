import type { DataSource } from 'typeorm';
import { SharedRateLimiter, type RateLimitDecision, type RateLimitRule } from '@darvazeh/http';

export interface RateLimitVerdict extends RateLimitDecision {
  limit: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
}

/** Points a replica reserves at once from the shared store for a budget of `points` (1 = exact). */
export function leaseSize(points: number): number {
  return Math.min(100, Math.max(1, Math.floor(points / 50)));
}

interface Lease {
  left: number;
  until: number;
  /** The shared budget's remaining points after this lease was taken. */
  sharedRemaining: number;
}

const MAX_LEASES = 100_000;

/**
 * Budgets per caller and route group (`<group>:<principal or client address>`) and per grant,
 * through SharedRateLimiter: on PostgreSQL every replica spends the same budget. A round trip to
 * the database per request would cap the gateway at the database's upsert rate (bench:gateway),
 * so on PostgreSQL a replica reserves a lease of points at once (`leaseSize`: 1 for budgets under
 * 100, at most 2% of the budget and never more than 100) and spends it locally until the window
 * ends; small budgets (a grant's 3 calls a minute) stay exact. A budget can thus be under-used by
 * at most one lease per replica per window, never exceeded. Concurrent requests of one key wait
 * for one reservation instead of each asking the database.
 */
export class EdgeRateLimits {
  private readonly limiters = new Map<string, SharedRateLimiter>();
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, Promise<RateLimitVerdict | null>>();

  constructor(
    private readonly store: 'postgres' | 'memory',
    private readonly dataSource: DataSource | undefined,
    private readonly now: () => number = Date.now,
    private readonly limiterOf: (rule: RateLimitRule) => SharedRateLimiter = (rule) =>
      store === 'postgres' && dataSource ? SharedRateLimiter.postgres(dataSource, rule) : SharedRateLimiter.memory(rule),
  ) {}

  async take(ruleName: string, points: number, durationSeconds: number, key: string): Promise<RateLimitVerdict> {
    const id = `${ruleName}/${points}/${durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const rule = { name: `gw:${ruleName}:${points}:${durationSeconds}`, points, durationSeconds };
      limiter = this.limiterOf(rule);
      this.limiters.set(id, limiter);
    }
    const chunk = this.store === 'postgres' ? leaseSize(points) : 1;
    if (chunk === 1) return verdictOf(await limiter.take(key), points);
    const leaseKey = `${id}|${key}`;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const lease = this.leases.get(leaseKey);
      const now = this.now();
      if (lease && lease.left > 0 && lease.until > now) {
        lease.left -= 1;
        // The next lease is reserved while a quarter of this one is left, so callers of a busy key
        // do not wait for the shared store's round trip (at most two leases held: still never
        // more than the budget, since every point comes from it).
        if (lease.left <= chunk / 4 && !this.pending.has(leaseKey)) {
          const ahead = this.reserve(limiter, leaseKey, key, chunk, points).finally(() => this.pending.delete(leaseKey));
          ahead.catch(() => undefined);
          this.pending.set(leaseKey, ahead);
        }
        const resetMs = lease.until - now;
        return { allowed: true, retryAfterSeconds: 0, remaining: lease.sharedRemaining + lease.left, resetMs, limit: points, resetSeconds: Math.ceil(resetMs / 1000) };
      }
      let reservation = this.pending.get(leaseKey);
      if (!reservation) {
        reservation = this.reserve(limiter, leaseKey, key, chunk, points).finally(() => this.pending.delete(leaseKey));
        this.pending.set(leaseKey, reservation);
      }
      const refused = await reservation;
      if (refused) return refused;
    }
    return verdictOf(await limiter.take(key), points);
  }

  private async reserve(limiter: SharedRateLimiter, leaseKey: string, key: string, chunk: number, points: number): Promise<RateLimitVerdict | null> {
    const decision = await limiter.take(key, chunk);
    const current = this.leases.get(leaseKey);
    const now = this.now();
    const live = current !== undefined && current.left > 0 && current.until > now;
    if (!decision.allowed) {
      // A refused refill leaves the points still held; they are spent first.
      if (!live) this.leases.delete(leaseKey);
      return live ? null : verdictOf(decision, points);
    }
    const until = now + decision.resetMs;
    if (live && Math.abs(current.until - until) < 1_000) {
      // The same shared window: the refill adds to what is left.
      current.left += chunk;
      current.sharedRemaining = decision.remaining;
      return null;
    }
    if (this.leases.size >= MAX_LEASES) this.sweep();
    this.leases.set(leaseKey, { left: chunk, until, sharedRemaining: decision.remaining });
    return null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, lease] of this.leases) if (lease.until <= now || lease.left === 0) this.leases.delete(k);
    if (this.leases.size >= MAX_LEASES) this.leases.clear();
  }
}

function verdictOf(d: RateLimitDecision, limit: number): RateLimitVerdict {
  return { ...d, limit, resetSeconds: Math.max(0, Math.ceil(d.resetMs / 1000)) };
}

/** RFC-draft RateLimit-* fields (draft-ietf-httpapi-ratelimit-headers) for a verdict. */
export function rateLimitHeaders(v: RateLimitVerdict): Record<string, string> {
  return {
    'ratelimit-limit': String(v.limit),
    'ratelimit-remaining': String(Math.max(0, v.remaining)),
    'ratelimit-reset': String(v.resetSeconds),
  };
}
