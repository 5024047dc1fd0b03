import type { DataSource } from 'typeorm';
import { SharedRateLimiter, type RateLimitDecision } from '@darvazeh/http';

export interface RateLimitVerdict extends RateLimitDecision {
  limit: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
}

/**
 * Budgets per caller and route group (`<group>:<principal or client address>`), one per rule
 * name through SharedRateLimiter: on PostgreSQL every replica spends the same budget. Limiters are
 * created once per distinct rule (route groups and grant quotas are bounded sets).
 */
export class EdgeRateLimits {
  private readonly limiters = new Map<string, SharedRateLimiter>();

  constructor(
    private readonly store: 'postgres' | 'memory',
    private readonly dataSource: DataSource | undefined,
  ) {}

  async take(ruleName: string, points: number, durationSeconds: number, key: string): Promise<RateLimitVerdict> {
    const id = `${ruleName}/${points}/${durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const rule = { name: `gw:${ruleName}:${points}:${durationSeconds}`, points, durationSeconds };
      limiter = this.store === 'postgres' && this.dataSource ? SharedRateLimiter.postgres(this.dataSource, rule) : SharedRateLimiter.memory(rule);
      this.limiters.set(id, limiter);
    }
    const decision = await limiter.take(key);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const resetSeconds = decision.allowed ? durationSeconds - (nowSeconds % durationSeconds) : decision.retryAfterSeconds;
    return { ...decision, limit: points, resetSeconds };
  }
}

/** RFC-draft RateLimit-* fields (draft-ietf-httpapi-ratelimit-headers) for a verdict. */
export function rateLimitHeaders(v: RateLimitVerdict): Record<string, string> {
  return {
    'ratelimit-limit': String(v.limit),
    'ratelimit-remaining': String(Math.max(0, v.remaining)),
    'ratelimit-reset': String(v.resetSeconds),
  };
}
