import { createServer } from 'node:net';

/**
 * A loopback port free right now, for a service that must know its own URL before it listens
 * (identity publishes its JWKS URL as its issuer). Another process may take it in between;
 * tests accept that small race.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
