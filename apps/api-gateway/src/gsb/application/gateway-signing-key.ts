import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { createPublicKey } from 'node:crypto';
import type { SigningKeyRepository } from '../domain/signing-key.repository.js';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The gateway's ES256 key that signs exchange-log chain heads. From GATEWAY_SIGNING_KEY_PEM
 * (a k8s Secret) when set; otherwise generated once and kept in the gateway's database, so every
 * replica and every restart signs with the same published key. kid = RFC 7638 thumbprint.
 */
export async function loadGatewaySigningKey(keys: SigningKeyRepository, pem: string | undefined): Promise<SigningKey> {
  if (pem) return fromPem(pem);
  const stored = await keys.oldestPkcs8();
  if (stored) return fromPem(stored);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pkcs8 = await exportPKCS8(privateKey);
  const generated = await fromPem(pkcs8);
  await keys.insertIfAbsent({ kid: generated.kid, privatePkcs8: pkcs8, publicJwk: JSON.stringify(generated.publicJwk) });
  // Another replica may have won the race: everyone uses the oldest key.
  return fromPem((await keys.oldestPkcs8())!);
}

async function fromPem(pem: string): Promise<SigningKey> {
  const privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
  const jwk = await exportJWK(createPublicKey(pem));
  const base: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const kid = await calculateJwkThumbprint(base);
  return { kid, privateKey, publicJwk: { ...base, kid, alg: 'ES256', use: 'sig' } };
}
