import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** A throwaway ES256 issuer with a loopback JWKS, for benchmarks (libs/testing is not built). */
export async function benchIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    jwksUrl: `${base}/.well-known/jwks.json`,
    issuer: base,
    audience: 'darvazeh',
    mint: (claims: Record<string, unknown>, sub: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' }).setSubject(sub).setIssuer(base).setAudience('darvazeh').setIssuedAt().setExpirationTime('2h').sign(privateKey),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
