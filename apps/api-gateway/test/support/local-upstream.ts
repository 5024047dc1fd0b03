import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export interface LocalUpstream {
  url: string;
  /** Requests seen, newest last: method, url and headers. */
  seen: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  /** Set to answer every request with this status (503 to simulate failure). */
  close(): Promise<void>;
}

/**
 * A small upstream standing in for apps not built yet: /echo answers what it got, /slow never
 * answers in time, /upload streams the body through a hash without keeping it, /download streams
 * `?mb=` megabytes.
 */
export async function startLocalUpstream(port = 0): Promise<LocalUpstream> {
  const seen: LocalUpstream['seen'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 5_000).unref();
      return;
    }
    if (path.endsWith('/upload')) {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
      });
      return;
    }
    if (path === '/download') {
      const mb = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('mb') ?? '1');
      const chunk = Buffer.alloc(1024 * 1024, 97);
      let sent = 0;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = () => {
        while (sent < mb) {
          sent += 1;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
