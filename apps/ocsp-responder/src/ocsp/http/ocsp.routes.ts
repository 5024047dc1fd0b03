import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ALIAS_PATTERN } from '../../issuers/domain/issuer.js';
import type { OcspAnswer, OcspResponder } from '../application/ocsp-responder.js';

export const OCSP_REQUEST_TYPE = 'application/ocsp-request';
const OCSP_RESPONSE_TYPE = 'application/ocsp-response';
const INTERNAL_ERROR_DER = Buffer.from('30030a0102', 'hex');

export interface OcspRouteOptions {
  /** Largest accepted request body (and decoded GET path) in bytes. */
  maxRequestBytes: number;
  onError?: (err: unknown) => void;
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
  installFastLane(app.server, createOcspHandler(responder, options));
}

/** Puts `handler` in front of the server's request listeners; it returns false to pass a request on. */
function installFastLane(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (handler(req, res)) return;
    for (const listener of others) listener.call(server, req, res);
  });
}

export function createOcspHandler(responder: OcspResponder, options: OcspRouteOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const maxBase64 = Math.ceil(options.maxRequestBytes / 3) * 4;

  const post = (req: IncomingMessage, res: ServerResponse, alias: string | undefined) => {
    const type = req.headers['content-type'];
    if (!type || type.split(';')[0].trim().toLowerCase() !== OCSP_REQUEST_TYPE) {
      req.resume();
      return problem(req, res, 415, 'OCSP.CONTENT_TYPE_UNSUPPORTED', 'Unsupported Media Type', `POST /ocsp takes a DER OCSPRequest as ${OCSP_REQUEST_TYPE}`);
    }
    const tooLarge = () =>
      problem(req, res, 413, 'OCSP.REQUEST_TOO_LARGE', 'Payload Too Large', `an OCSP request may be at most ${options.maxRequestBytes} bytes`, true);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxRequestBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > options.maxRequestBytes) {
        refused = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      send(res, answerOf(responder, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), alias), null, options);
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
      if (ALIAS_PATTERN.test(first)) {
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
      return problem(req, res, b64.length === 0 ? 400 : 414, 'OCSP.REQUEST_INVALID', 'Bad OCSP GET request', `the path must carry a base64 DER OCSPRequest of at most ${options.maxRequestBytes} bytes`);
    }
    const der = /^[A-Za-z0-9+/]*={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    send(res, answerOf(responder, der, alias), req, options);
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/ocsp') || (url.length > 5 && url[5] !== '/' && url[5] !== '?')) return false;
    const path = url.split('?')[0];
    if (req.method === 'POST') {
      const alias = path.length > 6 ? path.slice(6) : undefined;
      if (alias !== undefined && !ALIAS_PATTERN.test(alias)) return false;
      post(req, res, alias);
      return true;
    }
    if (req.method === 'GET' && path.length > 6) {
      get(req, res, path.slice(6));
      return true;
    }
    return false;
  };
}

/** An unexpected throw becomes a rejected answer (internalError), never an uncaught exception in a stream callback. */
function answerOf(responder: OcspResponder, der: Buffer, alias: string | undefined): OcspAnswer | Promise<OcspAnswer> {
  try {
    return responder.respond(der, alias);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** `conditional` is the GET request (RFC 5019 conditional requests), null for POST. */
function send(res: ServerResponse, answer: OcspAnswer | Promise<OcspAnswer>, conditional: IncomingMessage | null, options: OcspRouteOptions): void {
  if (answer instanceof Promise) {
    answer.then(
      (a) => write(res, a, conditional),
      (err: unknown) => {
        options.onError?.(err);
        res.writeHead(500, { 'content-type': OCSP_RESPONSE_TYPE, 'cache-control': 'no-store', 'content-length': INTERNAL_ERROR_DER.length });
        res.end(INTERNAL_ERROR_DER);
      },
    );
    return;
  }
  write(res, answer, conditional);
}

function write(res: ServerResponse, answer: OcspAnswer, conditional: IncomingMessage | null): void {
  const c = answer.cacheable;
  if (!c) {
    res.writeHead(200, { 'content-type': OCSP_RESPONSE_TYPE, 'cache-control': 'no-store', 'content-length': answer.der.length });
    res.end(answer.der);
    return;
  }
  const maxAge = Math.max(0, Math.floor((c.nextUpdate.getTime() - Date.now()) / 1000));
  const headers = {
    'content-type': OCSP_RESPONSE_TYPE,
    'cache-control': `max-age=${maxAge}, public, no-transform, must-revalidate`,
    'last-modified': c.lastModified,
    expires: c.expires,
    etag: c.etag,
  };
  if (conditional && notModified(conditional, c.etag, c.thisUpdate)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': answer.der.length });
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

function problem(req: IncomingMessage, res: ServerResponse, status: number, code: string, title: string, detail: string, close = false): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, code, detail, instance: req.url });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    // An oversized body is not read to its end: the connection cannot be reused.
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}
