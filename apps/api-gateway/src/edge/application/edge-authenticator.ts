import type { JwtVerifier, Principal } from '@darvazeh/auth';
import { VerifiedTokenCache, expiryOf } from './token-cache.js';

const DISABLED = 'The principal this token was issued to has been disabled.';

export type EdgeAuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'invalid'; detail: string }
  | { ok: false; reason: 'revoked'; detail: string };

/**
 * Verifies a bearer token at the edge: the verified-token cache first, then @darvazeh/auth's
 * JwtVerifier (JWKS, keys cached by kid, refetch on an unknown kid). A cached principal is still
 * checked against libs/auth's denylist (PrincipalRevocationModule, fed by identity.principals) on
 * every request, so a disabled agency or principal is refused at once, not when its token expires.
 */
export class EdgeAuthenticator {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly cache: VerifiedTokenCache,
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
      if (!outcome.ok) {
        if (outcome.reason === 'disabled') return { ok: false, reason: 'revoked', detail: DISABLED };
        return outcome.reason === 'missing' ? { ok: false, reason: 'missing' } : outcome;
      }
      principal = outcome.principal;
      const exp = expiryOf(token);
      if (exp !== undefined) this.cache.set(key, principal, exp);
    }
    if (this.verifier.isDisabled(principal)) return { ok: false, reason: 'revoked', detail: DISABLED };
    return { ok: true, principal };
  }
}
