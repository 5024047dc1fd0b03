import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProblemDetails } from '@darvazeh/http';

// TEMP until the platform's problemDetails lands.
function problemDetails(p: { status: number; code: string; detail: string; instance: string; hint?: string }): ProblemDetails {
  const title = ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Content Too Large', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway', 504: 'Gateway Timeout' } as Record<number, string>)[p.status] ?? 'Error';
  return { type: `urn:darvazeh:problem:${p.code}`, title, status: p.status, code: p.code, detail: p.detail, instance: p.instance, ...(p.hint ? { hint: p.hint } : {}) };
}
import { requestIdOf } from '@darvazeh/observability';

export interface EdgeProblem {
  status: number;
  code: string;
  detail: string;
  hint?: string;
  /** Extra response headers (Retry-After, RateLimit-*, WWW-Authenticate). */
  headers?: Record<string, string | number>;
}

/**
 * Writes an RFC 9457 problem on the raw response of the fast lane (no Fastify reply here), with
 * the same body every Nest route produces through problemDetails.
 */
export function writeProblem(req: IncomingMessage, res: ServerResponse, p: EdgeProblem): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: ProblemDetails = problemDetails({ status: p.status, code: p.code, detail: p.detail, instance: (req.url ?? '/').split('?', 1)[0], hint: p.hint });
  const requestId = requestIdOf(req);
  if (requestId) body.requestId = requestId;
  const retryAfter = p.headers?.['retry-after'];
  if (retryAfter !== undefined) body.retryAfter = Number(retryAfter);
  const text = JSON.stringify(body);
  // A body not read to its end leaves the connection unusable for the next request.
  const close = !req.complete;
  res.writeHead(p.status, {
    ...p.headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
  if (close) req.resume();
}
