import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { BlockList } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ISSUER_ALIAS_PATTERN } from '@darvazeh/core';
import { problemDetails, sendProblem } from '@darvazeh/http';
import type { OcspAnswer, OcspResponder } from '../application/ocsp-responder.js';

export const OCSP_REQUEST_TYPE = 'application/ocsp-request';
const OCSP_RESPONSE_TYPE = 'application/ocsp-response';
const INTERNAL_ERROR_DER = Buffer.from('30030a0102', 'hex');

export interface OcspRouteOptions {
  /** Largest accepted request body (and decoded GET path) in bytes. */
  maxRequestBytes: number;
  onError?: (err: unknown) => void;
  /**
   * Peers whose X-Forwarded-For is believed (the cache tier, a load balancer): TRUST_PROXY's
   * addresses, CIDRs and `loopback` / `linklocal` / `uniquelocal`. The client address bounds live signing (OCSP_LIVE_SIGNING_PER_CLIENT).
   */
  trustProxy?: string[];
  /** Tag cacheable answers with `x-ocsp-cert` for the cache tier's bans (set when one is configured). */
  cacheTag?: boolean;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves the OCSP endpoints — POST /ocsp[/alias] with application/ocsp-request and
 * GET /ocsp[/alias]/{base64 DER} (RFC 6960 Appendix A, RFC 5019) — straight on the Node HTTP
 * server of `app`, ahead of Fastify; every other request goes on to Fastify and Nest unchanged.
 *
 * Why not Fastify routes: OCSP is public, unauthenticated and the hot path (a pre-signed answer
 * is one map lookup), and Fastify's routing plus the platform's global hooks (request ids,
 * access log, tracing, HTTP metrics) cost several times more CPU than the answer itself. The
 * responder counts its own answers (ocsp_responses_total); no Nest guard or pipe applies here.
 */
export function registerOcspRoutes(app: FastifyInstance, responder: OcspResponder, options: OcspRouteOptions): void {
  installFastLane(app.server, createOcspHandler(responder, options), options);
}

/**
 * Puts `handler` in front of the server's request listeners; it returns false to pass a request
 * on. Also answers `Expect: 100-continue` requests itself: an OCSP POST announcing more than the
 * limit gets its 413 before the client sends the body; anything else gets `100 Continue` and
 * goes the normal way. And it lets the request line hold a GET of the largest OCSP request, even
 * percent-encoded (Node's default 16 KiB header limit would answer 431 before any handler runs).
 */
function installFastLane(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => boolean, options: OcspRouteOptions): void {
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    if (handler(req, res)) return;
    for (const listener of others) listener.call(server, req, res);
  };
  server.on('request', dispatch);
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && isOcspPath(req.url ?? '') && Number(req.headers['content-length'] ?? 0) > options.maxRequestBytes) {
      // The body was never asked for: close after the answer, nothing is left unread.
      return problem(req, res, 413, 'OCSP.REQUEST_TOO_LARGE', `an OCSP request may be at most ${options.maxRequestBytes} bytes`, true);
    }
    res.writeContinue();
    dispatch(req, res);
  });
  const maxBase64 = Math.ceil(options.maxRequestBytes / 3) * 4;
  // Request line + the usual headers: the path may be percent-encoded (up to 3 bytes per character).
  // Read per new connection by node:http (the createServer option of the same name).
  const limits = server as Server & { maxHeaderSize?: number };
  limits.maxHeaderSize = Math.max(limits.maxHeaderSize ?? 16 * 1024, 16 * 1024 + 3 * maxBase64);
}

const NAMED_RANGES: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']],
  linklocal: [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']],
  uniquelocal: [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['fc00::', 7, 'ipv6']],
};

/** TRUST_PROXY (addresses, CIDRs, `loopback` / `linklocal` / `uniquelocal`) as a node:net BlockList; null when empty. */
function trustedProxies(entries: string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED_RANGES[entry];
    if (named) for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type);
    else {
      const [address, prefix] = entry.split('/');
      const type = address.includes(':') ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(prefix), type);
    }
  }
  return list;
}

const isOcspPath = (url: string) => url.startsWith('/ocsp') && (url.length === 5 || url[5] === '/' || url[5] === '?');

/** A refused body is read and dropped up to this many bytes (so the client can read our 413); beyond, the socket is closed. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

export function createOcspHandler(responder: OcspResponder, options: OcspRouteOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const maxBase64 = Math.ceil(options.maxRequestBytes / 3) * 4;
  const trusted = trustedProxies(options.trustProxy ?? []);
  /** The peer, or the last X-Forwarded-For hop when the peer is a trusted proxy. */
  const clientOf = (req: IncomingMessage): string => {
    const peer = (req.socket.remoteAddress ?? '-').replace(/^::ffff:/, '');
    const xff = trusted && trusted.check(peer, peer.includes(':') ? 'ipv6' : 'ipv4') ? req.headers['x-forwarded-for'] : undefined;
    if (typeof xff !== 'string') return peer;
    const hops = xff.split(',');
    return hops[hops.length - 1].trim() || peer;
  };

  const post = (req: IncomingMessage, res: ServerResponse, alias: string | undefined) => {
    const type = req.headers['content-type'];
    if (!type || type.split(';')[0].trim().toLowerCase() !== OCSP_REQUEST_TYPE) {
      drain(req, res);
      return problem(req, res, 415, 'OCSP.CONTENT_TYPE_UNSUPPORTED', `POST /ocsp takes a DER OCSPRequest as ${OCSP_REQUEST_TYPE}`);
    }
    const tooLarge = () => {
      // Answer at once and read the rest of the body (bounded) before the connection may go on:
      // closing with unread bytes makes the kernel reset it, and the client never sees the 413.
      const declared = Number(req.headers['content-length'] ?? 0);
      const close = declared > DRAIN_LIMIT_BYTES;
      if (!close) drain(req, res);
      problem(req, res, 413, 'OCSP.REQUEST_TOO_LARGE', `an OCSP request may be at most ${options.maxRequestBytes} bytes`, close);
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxRequestBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxRequestBytes) {
        refused = true;
        req.off('data', onData);
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (refused) return;
      send(res, answerOf(responder, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), alias, () => clientOf(req)), null, options);
    });
    req.on('error', () => res.destroy());
  };

  const get = (req: IncomingMessage, res: ServerResponse, rawPath: string) => {
    // The raw URL, never a router's decoded params: base64 may contain '/', '+' and '=', and
    // clients percent-encode some of them (or not), which decoded params would mangle.
    let path = rawPath;
    let alias: string | undefined;
    const slash = path.indexOf('/');
    if (slash > 0) {
      // Base64 of a DER SEQUENCE starts with "M", never a lowercase alias.
      const first = path.slice(0, slash);
      if (ISSUER_ALIAS_PATTERN.test(first)) {
        alias = first;
        path = path.slice(slash + 1);
      }
    }
    let b64: string;
    try {
      b64 = decodeURIComponent(path).replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
    } catch {
      b64 = '!';
    }
    // The limit applies to the decoded base64: percent-encoding may triple the raw path.
    if (b64.length === 0 || b64.length > maxBase64) {
      return problem(req, res, b64.length === 0 ? 400 : 414, 'OCSP.REQUEST_INVALID', `the path must carry a base64 DER OCSPRequest of at most ${options.maxRequestBytes} bytes`);
    }
    const der = /^[A-Za-z0-9+/]*={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    send(res, answerOf(responder, der, alias, () => clientOf(req)), req, options);
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (!isOcspPath(url)) return false;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (req.method === 'POST') {
      const alias = path.length > 6 ? path.slice(6) : undefined;
      if (alias !== undefined && !ISSUER_ALIAS_PATTERN.test(alias)) return false;
      post(req, res, alias);
      return true;
    }
    if (req.method === 'GET') {
      // `GET /ocsp` and `GET /ocsp/` carry no request: 400, as for any empty GET path.
      get(req, res, path.slice(6));
      return true;
    }
    return false;
  };
}

/** An unexpected throw becomes a rejected answer (internalError), never an uncaught exception in a stream callback. */
function answerOf(responder: OcspResponder, der: Buffer, alias: string | undefined, client: () => string): OcspAnswer | Promise<OcspAnswer> {
  try {
    return responder.respond(der, alias, client);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** `conditional` is the GET request (RFC 5019 conditional requests), null for POST. */
function send(res: ServerResponse, answer: OcspAnswer | Promise<OcspAnswer>, conditional: IncomingMessage | null, options: OcspRouteOptions): void {
  if (answer instanceof Promise) {
    answer.then(
      (a) => write(res, a, conditional, options.cacheTag),
      (err: unknown) => {
        options.onError?.(err);
        res.writeHead(500, { 'content-type': OCSP_RESPONSE_TYPE, 'cache-control': 'no-store', 'content-length': INTERNAL_ERROR_DER.length });
        res.end(INTERNAL_ERROR_DER);
      },
    );
    return;
  }
  write(res, answer, conditional, options.cacheTag);
}

/**
 * The RFC 5019 headers as a flat [name, value, …] array: node:http takes it as is, without the
 * object spread and key walk of a headers object (this runs for every pre-signed answer).
 */
function write(res: ServerResponse, answer: OcspAnswer, conditional: IncomingMessage | null, cacheTag = false): void {
  const c = answer.cacheable;
  if (!c) {
    res.writeHead(200, ['content-type', OCSP_RESPONSE_TYPE, 'cache-control', 'no-store', 'content-length', String(answer.der.length)]);
    res.end(answer.der);
    return;
  }
  const maxAge = Math.max(0, Math.floor((c.nextUpdate.getTime() - Date.now()) / 1000));
  const headers = [
    'content-type',
    OCSP_RESPONSE_TYPE,
    'cache-control',
    `max-age=${maxAge}, public, no-transform, must-revalidate`,
    'last-modified',
    c.lastModified,
    'expires',
    c.expires,
    'etag',
    c.etag,
  ];
  if (cacheTag) headers.push('x-ocsp-cert', c.tag);
  if (conditional && notModified(conditional, c.etag, c.thisUpdate)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers.push('content-length', String(answer.der.length));
  res.writeHead(200, headers);
  res.end(answer.der);
}

function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}` || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** Reads and drops the rest of a request body, at most DRAIN_LIMIT_BYTES; past that the socket is closed. */
function drain(req: IncomingMessage, res: ServerResponse): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) res.destroy();
  });
  req.resume();
}

/** problem+json through the platform's builder (`urn:darvazeh:problem:<code>`), on the raw response. */
function problem(req: IncomingMessage, res: ServerResponse, status: number, code: string, detail: string, close = false): void {
  const headers: Record<string, string | number> = close ? { connection: 'close' } : {};
  sendProblem(
    {
      code(s: number) {
        res.statusCode = s;
        return this;
      },
      header(name: string, value: string) {
        headers[name] = value;
        return this;
      },
      send(payload: string) {
        res.writeHead(res.statusCode, { ...headers, 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      },
    },
    problemDetails({ status, code, detail, instance: req.url ?? '/ocsp' }),
  );
}
