import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { PublicJwk } from './signing-key.js';

export interface GeneratedKeyPair {
  kid: string;
  publicJwk: PublicJwk;
  privateKeyPkcs8: string;
}

/** Port: makes ES256 key pairs (tests may inject a faster or fixed one). */
export abstract class KeyPairGenerator {
  abstract generate(): Promise<GeneratedKeyPair>;
}

export class JoseKeyPairGenerator extends KeyPairGenerator {
  async generate(): Promise<GeneratedKeyPair> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    // RFC 7638 thumbprint: a kid derived from the key itself never collides by accident.
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    return {
      kid,
      publicJwk: { kty: jwk.kty!, crv: jwk.crv, x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' },
      privateKeyPkcs8: await exportPKCS8(privateKey),
    };
  }
}
