import type { JwtVerifier, Principal } from '@darvazeh/auth';
import { VerifiedTokenCache, expiryOf } from './token-cache.js';

/** What stops a principal at the edge although its token verifies (immediate revocation). */
export interface RevocationCheck {
  /** A reason when the principal or its agency is disabled, else null. */
  revokedReason(principal: Principal): string | null;
}

export type EdgeAuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'invalid'; detail: string }
  | { ok: false; reason: 'revoked'; detail: string };

/**
 * Verifies a bearer token at the edge: the verified-token cache first, then @darvazeh/auth's
 * JwtVerifier (JWKS, keys cached by kid, refetch on an unknown kid). A cached principal is still
 * checked against the revocation list on every request, so a disabled agency is refused at once.
 */
export class EdgeAuthenticator {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly cache: VerifiedTokenCache,
    private readonly revocations: RevocationCheck,
  ) {}

  async authenticate(authorization: string | undefined): Promise<EdgeAuthOutcome> {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    if (!authorization.startsWith('Bearer ') && !authorization.startsWith('bearer ')) {
      return { ok: false, reason: 'invalid', detail: 'the Authorization header must be "Bearer <token>"' };
    }
    const token = authorization.slice(7).trim();
    const key = VerifiedTokenCache.keyOf(token);
    let principal = this.cache.get(key);
    if (!principal) {
      const outcome = await this.verifier.verify({ headers: { authorization } });
      if (!outcome.ok) return outcome.reason === 'missing' ? { ok: false, reason: 'missing' } : outcome;
      principal = outcome.principal;
      const exp = expiryOf(token);
      if (exp !== undefined) this.cache.set(key, principal, exp);
    }
    const revoked = this.revocations.revokedReason(principal);
    if (revoked) return { ok: false, reason: 'revoked', detail: revoked };
    return { ok: true, principal };
  }
}
