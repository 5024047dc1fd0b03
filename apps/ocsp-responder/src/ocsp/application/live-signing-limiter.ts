import rateLimiterFlexible from 'rate-limiter-flexible';

// rate-limiter-flexible is CommonJS; its named exports are read off the default export.
const { RateLimiterMemory } = rateLimiterFlexible;

/**
 * Bounds the signatures one client address may cost per second (nonce echoes, multi-CertID
 * requests, first answers for serials without a pre-signed response): past its budget a client
 * gets a pre-signed answer if there is one, else `tryLater` — a flood of random serials or nonces
 * then costs no more than serving a cached answer. Per process: it protects this process's CPU.
 */
export abstract class LiveSigningLimiter {
  /** Resolves true when `client` may have one more signature now. */
  abstract allow(client: string): Promise<boolean>;
}

export class UnboundedLiveSigning extends LiveSigningLimiter {
  async allow(): Promise<boolean> {
    return true;
  }
}

/** `perSecond` signatures per client address per second (rate-limiter-flexible, fixed window, in memory). */
export class PerClientLiveSigningLimiter extends LiveSigningLimiter {
  private readonly limiter: InstanceType<typeof RateLimiterMemory>;

  constructor(readonly perSecond: number) {
    super();
    this.limiter = new RateLimiterMemory({ keyPrefix: 'ocsp-live-signing', points: perSecond, duration: 1 });
  }

  allow(client: string): Promise<boolean> {
    return this.limiter.consume(client, 1).then(
      () => true,
      (res: unknown) => {
        if (res instanceof Error) throw res;
        return false;
      },
    );
  }
}
