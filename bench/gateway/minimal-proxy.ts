// The ceiling for bench:gateway: the simplest program that could do the proxy's job on Node —
// one undici keep-alive pool to the upstream, the answer streamed into the response, nothing
// else (no JWT, no rate limit, no checks, no metrics). Own process; prints its port on IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = process.argv[2];
const pool = new Pool(upstream, { connections: 64, keepAliveTimeout: 30_000 });
const server = createServer((req, res) => {
  pool
    .stream({ path: req.url ?? '/', method: 'GET', headers: { 'x-forwarded-for': req.socket.remoteAddress ?? '' } }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/octet-stream') });
      return res;
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
