import { afterAll, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { registerOcspRoutes } from '../src/ocsp/http/ocsp.routes.js';
import type { OcspResponder } from '../src/ocsp/application/ocsp-responder.js';

/** Which client address bounds live signing: the socket peer, or X-Forwarded-For from a trusted proxy only. */
describe('OCSP fast lane: client address for the live-signing bound', () => {
  const seen: string[] = [];
  const responder = {
    respond: (_der: Buffer, _alias: string | undefined, client: string | (() => string)) => {
      seen.push(typeof client === 'string' ? client : client());
      return { der: Buffer.from('30030a0101', 'hex'), outcome: 'malformedRequest', cacheable: null };
    },
  } as unknown as OcspResponder;
  const apps: ReturnType<typeof Fastify>[] = [];
  const serve = async (trustProxy: string[]) => {
    const app = Fastify();
    apps.push(app);
    registerOcspRoutes(app, responder, { maxRequestBytes: 8192, trustProxy });
    return app.listen({ port: 0, host: '127.0.0.1' });
  };
  const ask = (url: string, xff?: string) =>
    fetch(`${url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request', ...(xff ? { 'x-forwarded-for': xff } : {}) }, body: Buffer.from('3000', 'hex') }).then((r) => r.arrayBuffer());

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('believes X-Forwarded-For (its last hop) only from a peer in TRUST_PROXY', async () => {
    const untrusting = await serve([]);
    await ask(untrusting, '203.0.113.5');
    const trusting = await serve(['loopback']);
    await ask(trusting, '198.51.100.1, 203.0.113.6');
    const cidr = await serve(['127.0.0.0/8']);
    await ask(cidr, '203.0.113.7');
    const other = await serve(['10.0.0.0/8']);
    await ask(other, '203.0.113.8');
    expect(seen).toEqual(['127.0.0.1', '203.0.113.6', '203.0.113.7', '127.0.0.1']);
  });
});
