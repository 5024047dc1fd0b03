import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface MintClaims {
  sub: string;
  roles: string[];
  agency_id?: string;
  national_code?: string;
  operator_code?: string;
  /** For role `ca`: issuer aliases the CA operator acts for. */
  ca_issuers?: string[];
  /** Space-separated string or list; emitted as the RFC 9068 space-separated string. */
  scope?: string | string[];
  /** Lifetime: seconds (negative = already expired) or a jose time span like '15m'. Default 15 min. */
  expiresIn?: number | string;
  /** Extra claims, e.g. a wrong `aud` for negative tests. */
  extra?: Record<string, unknown>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/**
 * A stand-in identity provider for tests: an ES256 key pair, its JWKS served over real HTTP on a
 * loopback port, and tokens with Darvazeh's claims. Point an app's JWKS_URL / JWT_ISSUER /
 * JWT_AUDIENCE at `jwksUrl` / `issuer` / `audience`.
 */
export class TestIssuer {
  private keys: SigningKey[] = [];
  private foreign?: SigningKey;
  /** Times the JWKS was fetched: lets auth tests see caching and refetch on unknown kid. */
  jwksFetches = 0;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly audience: string,
    readonly jwksUrl: string,
  ) {}

  static async start(options: { audience?: string; issuer?: string } = {}): Promise<TestIssuer> {
    const key = await newKey();
    // The request handler exists before the issuer does (it needs the port): reach it through a holder.
    const holder: { self?: TestIssuer } = {};
    const server = createServer((req, res) => {
      const self = holder.self;
      if (req.method === 'GET' && req.url === '/.well-known/jwks.json' && self) {
        self.jwksFetches += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: self.keys.map((k) => k.publicJwk) }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const self = new TestIssuer(server, options.issuer ?? base, options.audience ?? 'darvazeh', `${base}/.well-known/jwks.json`);
    self.keys = [key];
    holder.self = self;
    return self;
  }

  /** The kid new tokens are signed with. */
  get currentKid(): string {
    return this.keys[this.keys.length - 1].kid;
  }

  /** Signs a token with the current key (listed in the JWKS). */
  mintToken(claims: MintClaims): Promise<string> {
    return this.sign(this.keys[this.keys.length - 1], claims);
  }

  /** Signs with a key that is NOT in the JWKS: every verifier must reject it. */
  async mintForeignToken(claims: MintClaims): Promise<string> {
    this.foreign ??= await newKey();
    return this.sign(this.foreign, claims);
  }

  /** New signing key; the old one stays published (as identity does until its tokens expire). */
  async rotateKey(options: { dropOld?: boolean } = {}): Promise<string> {
    const key = await newKey();
    this.keys = options.dropOld ? [key] : [...this.keys, key];
    return key.kid;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async sign(key: SigningKey, claims: MintClaims): Promise<string> {
    const { sub, roles, scope, expiresIn = 15 * 60, extra, ...rest } = claims;
    const body: Record<string, unknown> = { roles, ...rest, ...extra };
    if (scope !== undefined) body.scope = Array.isArray(scope) ? scope.join(' ') : scope;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(body)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .setSubject(sub)
      .setIssuer(this.issuer)
      .setAudience((extra?.aud as string | undefined) ?? this.audience)
      .setIssuedAt(now)
      .setJti(randomUUID());
    jwt.setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn);
    return jwt.sign(key.privateKey);
  }
}
