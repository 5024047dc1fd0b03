import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { createPublicKey } from 'node:crypto';
import type { DataSource } from 'typeorm';

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
export async function loadGatewaySigningKey(dataSource: DataSource, pem: string | undefined): Promise<SigningKey> {
  if (pem) return fromPem(pem);
  const rows: { private_pkcs8: string }[] = await dataSource.query('SELECT private_pkcs8 FROM gateway_signing_keys ORDER BY created_at LIMIT 1');
  if (rows.length > 0) return fromPem(rows[0].private_pkcs8);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const generated = await fromPem(await exportPKCS8(privateKey));
  await dataSource.query('INSERT INTO gateway_signing_keys (kid, private_pkcs8, public_jwk) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    generated.kid,
    await exportPKCS8(privateKey),
    JSON.stringify(generated.publicJwk),
  ]);
  // Another replica may have won the race: everyone uses the oldest key.
  const winner: { private_pkcs8: string }[] = await dataSource.query('SELECT private_pkcs8 FROM gateway_signing_keys ORDER BY created_at, kid LIMIT 1');
  return fromPem(winner[0].private_pkcs8);
}

async function fromPem(pem: string): Promise<SigningKey> {
  const privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
  const jwk = await exportJWK(createPublicKey(pem));
  const base: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const kid = await calculateJwkThumbprint(base);
  return { kid, privateKey, publicJwk: { ...base, kid, alg: 'ES256', use: 'sig' } };
}
