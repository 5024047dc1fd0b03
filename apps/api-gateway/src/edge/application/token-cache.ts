import { hash } from 'node:crypto';
import type { Principal } from '@darvazeh/auth';

interface Entry {
  principal: Principal;
  /** Epoch ms of the token's exp. */
  expiresAt: number;
}

/**
 * Principals of tokens already verified, keyed by the SHA-256 of the token (never the token
 * itself), each kept until its `exp`: a repeat caller costs one hash and a map lookup instead of
 * an ECDSA verification. Bounded: when full, the oldest entries go first (Map keeps insertion order).
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  static keyOf(token: string): string {
    // One-shot hash (no Hash object per request): this runs on every authenticated request.
    return hash('sha256', token, 'base64url');
  }

  get(key: string): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Principal, expiresAt: number): void {
    if (this.maxEntries === 0 || expiresAt <= this.now()) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { principal, expiresAt });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** `exp` of a compact JWS already verified by the caller, in epoch ms (undefined if absent). */
export function expiryOf(token: string): number | undefined {
  const dot = token.indexOf('.');
  const end = token.indexOf('.', dot + 1);
  if (dot < 0 || end < 0) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token.slice(dot + 1, end), 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
