import net from 'node:net';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface LoadRequest {
  body: Buffer;
  certId: Buffer;
}

const SUCCESSFUL = Buffer.from([0x0a, 0x01, 0x00]);
const HEADER_END = Buffer.from('\r\n\r\n');
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Bounded closed-loop load: `connections` loops, each sending the next request of the pool and
 * checking the reply (HTTP 200, OCSPResponseStatus successful, the request's CertID echoed)
 * before sending again. A reply that fails the check, or none within 10 s, counts as an error,
 * not as throughput. Connections are kept alive when the server allows it and reopened when it
 * closes them (OpenSSL's responder answers HTTP/1.0 and closes after every response).
 *
 * Hand-written on node:net rather than autocannon or node:http because autocannon hands
 * bodies over as text (a binary OCSP reply cannot be checked) and node:http costs more CPU per
 * request than the responder under test — on a 2-core machine the generator must stay cheap.
 */
export interface LoadOptions {
  /** GET /ocsp/{base64, percent-encoded} (RFC 5019) instead of POST. */
  method?: 'GET' | 'POST';
  /** Count any OCSPResponse (an unsigned error status too) as a reply: for the flood of unknown serials. */
  acceptAnyOcspResponse?: boolean;
}

export async function runLoad(url: string, requests: LoadRequest[], connections: number, seconds: number, options: LoadOptions = {}): Promise<LoadResult> {
  const target = new URL(url);
  const port = Number(target.port);
  const host = target.hostname;
  const head = (len: number) =>
    Buffer.from(`POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/ocsp-request\r\nContent-Length: ${len}\r\n\r\n`);
  const get = (body: Buffer) =>
    Buffer.from(`GET ${target.pathname.replace(/\/$/, '')}/${encodeURIComponent(body.toString('base64'))} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`);
  const wire = requests.map((r) => ({ data: options.method === 'GET' ? get(r.body) : Buffer.concat([head(r.body.length), r.body]), certId: r.certId }));
  const ok = options.acceptAnyOcspResponse
    ? (reply: { status: number; body: Buffer }) => reply.status === 200 && reply.body[0] === 0x30
    : (reply: { status: number; body: Buffer }, certId: Buffer) => reply.status === 200 && reply.body.subarray(0, 8).includes(SUCCESSFUL) && reply.body.includes(certId);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const end = Date.now() + seconds * 1000;

  const loop = async () => {
    const conn = new Connection(host, port);
    while (Date.now() < end) {
      const r = wire[next++ % wire.length];
      const t0 = process.hrtime.bigint();
      const reply = await conn.exchange(r.data);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (reply && ok(reply, r.certId)) latencies.push(ms);
      else errors++;
    }
    conn.close();
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] : NaN);
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), errors };
}

/** One HTTP/1.x connection: one request at a time, reconnecting when the server closed it. */
class Connection {
  private socket: net.Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private waiter: ((r: { status: number; body: Buffer } | null) => void) | null = null;
  private closeAfter = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  exchange(data: Buffer): Promise<{ status: number; body: Buffer } | null> {
    if (!this.socket || this.socket.destroyed || this.closeAfter) this.open();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket?.destroy();
        this.socket = null;
        finish(null);
      }, REQUEST_TIMEOUT_MS);
      const finish = (r: { status: number; body: Buffer } | null) => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(r);
      };
      this.waiter = finish;
      this.socket!.write(data);
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  private open(): void {
    this.socket?.destroy();
    this.buf = Buffer.alloc(0);
    this.closeAfter = false;
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.socket) return;
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.tryParse(false);
    });
    const gone = () => {
      if (socket !== this.socket) return;
      // A response without Content-Length ends with the connection.
      this.tryParse(true);
      this.socket = null;
      this.waiter?.(null);
    };
    socket.on('end', gone);
    socket.on('close', gone);
    socket.on('error', () => undefined);
  }

  private tryParse(ended: boolean): void {
    if (!this.waiter) return;
    const headerEnd = this.buf.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const headers = this.buf.toString('latin1', 0, headerEnd);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1] ?? 0);
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
    const http10 = headers.startsWith('HTTP/1.0');
    const connection = /\r\nconnection:\s*([^\r]*)/i.exec(headers)?.[1]?.toLowerCase() ?? '';
    const bodyStart = headerEnd + 4;
    let body: Buffer;
    if (lengthMatch) {
      const len = Number(lengthMatch[1]);
      if (this.buf.length < bodyStart + len) return;
      body = this.buf.subarray(bodyStart, bodyStart + len);
      this.buf = this.buf.subarray(bodyStart + len);
    } else {
      if (!ended) return;
      body = this.buf.subarray(bodyStart);
      this.buf = Buffer.alloc(0);
    }
    this.closeAfter = connection.includes('close') || (http10 && !connection.includes('keep-alive'));
    const waiter = this.waiter;
    this.waiter = null;
    waiter({ status, body });
  }
}
