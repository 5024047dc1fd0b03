import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Port: hashes client secrets. Abstract class so it doubles as a DI token. */
export abstract class SecretHasher {
  abstract hash(secret: string): Promise<string>;
  abstract verify(secret: string, stored: string): Promise<boolean>;
}

export interface ScryptParams {
  /** CPU/memory cost (power of two). */
  N: number;
  r: number;
  p: number;
}

/**
 * N=2^15, r=8, p=1: 32 MiB and ~190 ms per hash on this shared 2-core machine (measured), below
 * OWASP's scrypt baseline (2^17), chosen because every token request pays it. Generated
 * secrets carry 256 random bits, so no work factor is what protects them offline; the cost
 * matters for human-chosen secrets (the bootstrap admin from config). CLIENT_SECRET_SCRYPT_N
 * raises it; stored hashes record their own parameters.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/**
 * Client secrets are stored as scrypt hashes with a per-secret random salt. A slow,
 * memory-hard hash means a leaked `service_clients` table does not hand out working
 * credentials: each guess costs real CPU and memory, and the per-secret salt forbids one
 * precomputed table for all rows. Verification compares with `timingSafeEqual` so response
 * time does not reveal how many leading bytes of a guess were right.
 * Format: `scrypt$N$r$p$<salt b64url>$<hash b64url>` so parameters can be raised later
 * without invalidating existing secrets.
 */
export class ScryptSecretHasher extends SecretHasher {
  private static readonly KEYLEN = 32;

  constructor(private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS) {
    super();
  }

  async hash(secret: string): Promise<string> {
    const salt = randomBytes(16);
    const { N, r, p } = this.params;
    const key = await scrypt(secret, salt, ScryptSecretHasher.KEYLEN, { N, r, p, maxmem: 256 * N * r });
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(secret: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number);
    if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
    const salt = Buffer.from(parts[4], 'base64url');
    const expected = Buffer.from(parts[5], 'base64url');
    const actual = await scrypt(secret, salt, expected.length, { N, r, p, maxmem: 256 * N * r });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
