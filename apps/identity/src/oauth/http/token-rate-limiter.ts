import type { RateLimitDecision, SharedRateLimiter } from '@darvazeh/http';

/**
 * Two budgets per token request: one per client id (slows guessing one client's secret from
 * many addresses) and one per source IP (slows one address spraying many client ids). Both are
 * shared by all identity replicas (SharedRateLimiter on identity's database).
 */
export class TokenRateLimiter {
  constructor(
    private readonly perClient: SharedRateLimiter,
    private readonly perIp: SharedRateLimiter,
  ) {}

  async take(clientId: string | undefined, ip: string): Promise<RateLimitDecision> {
    const byIp = await this.perIp.take(ip);
    if (!byIp.allowed || !clientId) return byIp;
    return this.perClient.take(clientId);
  }
}

/** The public citizen endpoints (registration, OTP request and verification): one budget per source IP. */
export class CitizenRateLimiter {
  constructor(private readonly perIp: SharedRateLimiter) {}

  take(ip: string): Promise<RateLimitDecision> {
    return this.perIp.take(ip);
  }
}
