import { createPublicKey, hash, type KeyObject } from 'node:crypto';
import { Strategy as JwtStrategy, ExtractJwt, type SecretOrKeyProvider, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import jwksRsa from 'jwks-rsa';
import { principalFromClaims, type AccessTokenClaims, type Principal } from './principal.js';
import { PrincipalDenylist } from './revocation/principal-denylist.js';

export interface AuthOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How long fetched keys are trusted without refetching (default 10 minutes). */
  keyCacheMaxAgeMs?: number;
  /** Upper bound on JWKS fetches per minute, so forged kids cannot hammer identity (default 10). */
  jwksRequestsPerMinute?: number;
  /** Verified tokens remembered until their `exp` (default 10,000; 0 turns the cache off). */
  verifiedTokenCacheSize?: number;
}

/** Only asymmetric algorithms: a token signed with HS256 using our public key as secret must fail. */
export const ALLOWED_ALGORITHMS = ['ES256', 'RS256'] as const;

export type VerifyOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' }
  /** A valid token of a principal identity disabled since (libs/auth revocation). */
  | { ok: false; reason: 'disabled'; principal: Principal }
  | { ok: false; reason: 'invalid'; detail: string };

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Verifies bearer tokens with passport-jwt against the issuer's JWKS. Keys are cached by kid;
 * a token with a kid we have not seen makes jwks-rsa fetch the JWKS again (rate limited), so a
 * rotated signing key is accepted as soon as identity publishes it.
 *
 * The strategy is driven directly instead of through passport's global registry: in embedded
 * mode several services share one process and each needs its own issuer/audience.
 */
export class JwtVerifier {
  private readonly strategy: JwtStrategy;
  /**
   * SHA-256 of a verified token → its principal and exp (epoch ms). An ES256 check costs far
   * more than the rest of a small request; a caller repeats its token for its whole lifetime,
   * so each token is verified once. Bounded: when full the oldest entry goes (insertion order).
   * The denylist is still checked on every use.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly cacheSize: number;

  constructor(
    readonly options: AuthOptions,
    /** Principals refused although their tokens verify; empty unless PrincipalRevocationModule fills it. */
    readonly denylist: PrincipalDenylist = new PrincipalDenylist(),
  ) {
    this.cacheSize = options.verifiedTokenCacheSize ?? 10_000;
    const strategyOptions: StrategyOptionsWithoutRequest = {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: keyObjectProvider(options),
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: 5 },
    };
    this.strategy = new JwtStrategy(strategyOptions, (claims: AccessTokenClaims, done) => {
      const principal = principalFromClaims(claims);
      if (!principal) return done(null, false, new Error('token has no subject'));
      return done(null, principal);
    });
  }

  /** True when identity disabled this principal: callers that cache verified tokens check it on every use. */
  isDisabled(principal: Principal): boolean {
    return this.denylist.isDenied(principal.subject);
  }

  verify(request: RequestLike): Promise<VerifyOutcome> {
    const header = request.headers.authorization;
    if (header === undefined || (typeof header === 'string' && header.trim() === '')) {
      return Promise.resolve({ ok: false, reason: 'missing' });
    }
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const key = token && this.cacheSize > 0 ? hash('sha256', token, 'base64url') : undefined;
    if (key) {
      const hit = this.verified.get(key);
      if (hit && hit.expiresAt > Date.now()) {
        return Promise.resolve(this.isDisabled(hit.principal) ? { ok: false, reason: 'disabled', principal: hit.principal } : { ok: true, principal: hit.principal });
      }
      if (hit) this.verified.delete(key);
    }
    return this.verifyToken(request).then((outcome) => {
      if (key && token && (outcome.ok || outcome.reason === 'disabled')) this.remember(key, token, outcome.principal);
      return outcome;
    });
  }

  private remember(key: string, token: string, principal: Principal): void {
    const exp = expiryOf(token);
    if (exp === undefined || exp <= Date.now()) return;
    if (this.verified.size >= this.cacheSize) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(key, { principal, expiresAt: exp });
  }

  private verifyToken(request: RequestLike): Promise<VerifyOutcome> {
    return new Promise((resolve) => {
      // Passport's protocol: authenticate() ends by calling exactly one of these on the strategy.
      const run = Object.create(this.strategy) as JwtStrategy & {
        success(user: Principal): void;
        fail(info?: unknown): void;
        error(err: unknown): void;
        pass(): void;
      };
      run.success = (principal) =>
        resolve(this.isDisabled(principal) ? { ok: false, reason: 'disabled', principal } : { ok: true, principal });
      run.fail = (info) => resolve({ ok: false, reason: 'invalid', detail: describe(info) });
      run.error = (err) => resolve({ ok: false, reason: 'invalid', detail: describe(err) });
      run.pass = () => resolve({ ok: false, reason: 'invalid', detail: 'no token' });
      run.authenticate(request as never, {});
    });
  }
}

/**
 * The verification key of a token's `kid` as a parsed KeyObject, cached for keyCacheMaxAgeMs.
 * jwks-rsa's own passportJwtSecret hands jsonwebtoken a PEM string, which jsonwebtoken parses
 * with createPublicKey on every request: ~10% of a service's CPU under load (profiled on
 * bench:hamta-register). jwks-rsa still does the fetching, its cache and its rate limit on
 * refetches for unknown kids; we keep only the parsed key.
 */
function keyObjectProvider(options: AuthOptions): SecretOrKeyProvider {
  const maxAgeMs = options.keyCacheMaxAgeMs ?? 10 * 60_000;
  const client = jwksRsa({
    jwksUri: options.jwksUrl,
    cache: true,
    cacheMaxAge: maxAgeMs,
    rateLimit: true,
    jwksRequestsPerMinute: options.jwksRequestsPerMinute ?? 10,
    timeout: 5_000,
  });
  const parsed = new Map<string, { key: KeyObject; until: number }>();
  return (_request, rawJwtToken, done) => {
    const kid = kidOf(rawJwtToken as string);
    const cached = kid === undefined ? undefined : parsed.get(kid);
    if (cached && cached.until > Date.now()) return done(null, cached.key as never);
    client.getSigningKey(kid).then(
      (signingKey) => {
        const key = createPublicKey(signingKey.getPublicKey());
        // Bounded by the JWKS: only kids identity published are ever stored.
        if (kid !== undefined) parsed.set(kid, { key, until: Date.now() + maxAgeMs });
        done(null, key as never);
      },
      (error: unknown) => {
        // Unknown kid (after a refetch): no key, which jsonwebtoken reports as an invalid token.
        if (error instanceof Error && error.name === 'SigningKeyNotFoundError') return done(null, undefined as never);
        done(error as Error, undefined as never);
      },
    );
  };
}

/** `exp` (epoch ms) of a compact JWS the caller has just verified; undefined if absent. */
function expiryOf(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The `kid` of a compact JWS header, undefined when absent or unreadable (verification then fails). */
function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.', 1)[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

function describe(info: unknown): string {
  if (info instanceof Error) {
    if (info.name === 'TokenExpiredError') return 'token expired';
    if (info.message === 'secret or public key must be provided') return 'signing key unknown or algorithm not allowed';
    return info.message;
  }
  if (typeof info === 'string') return info;
  return 'verification failed';
}
