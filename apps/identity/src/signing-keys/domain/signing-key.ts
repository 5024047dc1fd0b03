export type SigningKeyStatus = 'active' | 'retiring' | 'retired';

export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  alg: string;
  use: 'sig';
}

export interface SigningKeyProps {
  kid: string;
  alg: 'ES256';
  publicJwk: PublicJwk;
  /** AES-256-GCM ciphertext of the PKCS#8 private key; null once retired (no longer needed). */
  privateKeyCiphertext: string | null;
  status: SigningKeyStatus;
  createdAt: Date;
  deactivatedAt: Date | null;
  /** When a retiring key may leave the JWKS: its last token's expiry plus clock skew. */
  retireAfter: Date | null;
  retiredAt: Date | null;
}

export interface KeyLifetimes {
  /** Longest lifetime of a token signed by these keys. */
  tokenTtlSeconds: number;
  /** Leeway verifiers allow on `exp`; a key must outlive that too. */
  clockSkewSeconds: number;
}

/**
 * One ES256 signing key. Lifecycle: active (signs, published) → retiring (published only, so
 * tokens it signed still verify) → retired (unpublished, private key dropped). Exactly one
 * key is active at a time (a partial unique index enforces it in the database).
 */
export class SigningKey {
  private constructor(private props: SigningKeyProps) {}

  static create(input: { kid: string; publicJwk: PublicJwk; privateKeyCiphertext: string; now: Date }): SigningKey {
    return new SigningKey({
      kid: input.kid,
      alg: 'ES256',
      publicJwk: input.publicJwk,
      privateKeyCiphertext: input.privateKeyCiphertext,
      status: 'active',
      createdAt: input.now,
      deactivatedAt: null,
      retireAfter: null,
      retiredAt: null,
    });
  }

  static restore(props: SigningKeyProps): SigningKey {
    return new SigningKey({ ...props });
  }

  get kid(): string {
    return this.props.kid;
  }
  get status(): SigningKeyStatus {
    return this.props.status;
  }
  get publicJwk(): PublicJwk {
    return this.props.publicJwk;
  }
  get privateKeyCiphertext(): string | null {
    return this.props.privateKeyCiphertext;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get retireAfter(): Date | null {
    return this.props.retireAfter;
  }

  /** Stops signing. A token signed just before this moment lives tokenTtl; verifiers add skew. */
  deactivate(now: Date, lifetimes: KeyLifetimes): void {
    if (this.props.status !== 'active') return;
    const keep = (lifetimes.tokenTtlSeconds + lifetimes.clockSkewSeconds) * 1000;
    this.props = {
      ...this.props,
      status: 'retiring',
      deactivatedAt: now,
      retireAfter: new Date(now.getTime() + keep),
    };
  }

  /** Retires a retiring key whose last token can no longer verify. Returns whether it changed. */
  retireIfExpired(now: Date): boolean {
    if (this.props.status !== 'retiring' || !this.props.retireAfter) return false;
    if (now.getTime() < this.props.retireAfter.getTime()) return false;
    this.props = { ...this.props, status: 'retired', retiredAt: now, privateKeyCiphertext: null };
    return true;
  }

  isPublished(now: Date): boolean {
    if (this.props.status === 'active') return true;
    return this.props.status === 'retiring' && !!this.props.retireAfter && now < this.props.retireAfter;
  }

  /** Scheduled rotation is due when the active key is older than the interval (0 = never). */
  isRotationDue(now: Date, intervalSeconds: number): boolean {
    return (
      this.props.status === 'active' &&
      intervalSeconds > 0 &&
      now.getTime() - this.props.createdAt.getTime() >= intervalSeconds * 1000
    );
  }

  toProps(): SigningKeyProps {
    return { ...this.props };
  }
}
