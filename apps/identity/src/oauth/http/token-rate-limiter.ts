import type { RateLimitDecision, SharedRateLimiter } from '@darvazeh/http';

/**
 * The token endpoint's budgets, shared by all identity replicas (SharedRateLimiter on identity's
 * database):
 * - every request spends from its source IP's budget (one address spraying many client ids);
 * - failed client authentications spend from the (client id, source IP) pair's budget, and a
 *   pair that spent it is refused before its secret is even checked.
 * There is deliberately no budget per client id alone: it would let anyone lock the real client
 * out with wrong secrets (issue 15). Guessing a client's 256-bit secret from many addresses is
 * hopeless anyway; the pair budget slows one attacker without touching anyone else.
 */
export class TokenRateLimiter {
  constructor(
    private readonly failuresPerClientIp: SharedRateLimiter,
    private readonly perIp: SharedRateLimiter,
  ) {}

  async take(clientId: string | undefined, ip: string): Promise<RateLimitDecision> {
    const byIp = await this.perIp.take(ip);
    if (!byIp.allowed || !clientId) return byIp;
    return this.failuresPerClientIp.peek(pairKey(clientId, ip));
  }

  /** Counts one failed authentication of `clientId` from `ip`. */
  async failed(clientId: string, ip: string): Promise<void> {
    await this.failuresPerClientIp.take(pairKey(clientId, ip));
  }
}

function pairKey(clientId: string, ip: string): string {
  // JSON keeps the two parts apart whatever characters a client id holds.
  return JSON.stringify([clientId, ip]);
}

/** The public citizen endpoints (registration, OTP request and verification): one budget per source IP. */
export class CitizenRateLimiter {
  constructor(private readonly perIp: SharedRateLimiter) {}

  take(ip: string): Promise<RateLimitDecision> {
    return this.perIp.take(ip);
  }
}
