import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemDetails, sendProblem, type ProblemReply } from '@darvazeh/http';
import { requestIdOf } from '@darvazeh/observability';

export interface EdgeProblem {
  status: number;
  code: string;
  detail: string;
  hint?: string;
  /** Extra response headers (Retry-After, RateLimit-*, WWW-Authenticate). */
  headers?: Record<string, string | number>;
}

/** sendProblem's reply on a raw ServerResponse (the fast lane has no Fastify reply). */
function rawReply(res: ServerResponse): ProblemReply {
  const reply: ProblemReply = {
    code: (status) => {
      res.statusCode = status;
      return reply;
    },
    header: (name, value) => {
      res.setHeader(name, value);
      return reply;
    },
    send: (payload) => {
      res.setHeader('content-length', Buffer.byteLength(payload));
      res.end(payload);
      return undefined;
    },
  };
  return reply;
}

/**
 * Writes an RFC 9457 problem on the raw response of the fast lane, with the same body every Nest
 * route produces (problemDetails/sendProblem of @darvazeh/http). Returns the body written (the
 * exchange log hashes it).
 */
export function writeProblem(req: IncomingMessage, res: ServerResponse, p: EdgeProblem): string {
  if (res.headersSent) {
    res.destroy();
    return '';
  }
  const retryAfter = p.headers?.['retry-after'];
  const body = problemDetails({
    status: p.status,
    code: p.code,
    detail: p.detail,
    instance: (req.url ?? '/').split('?', 1)[0],
    ...(p.hint ? { hint: p.hint } : {}),
    ...(retryAfter !== undefined ? { retryAfter: Number(retryAfter) } : {}),
    ...(requestIdOf(req) ? { requestId: requestIdOf(req) } : {}),
  });
  for (const [name, value] of Object.entries(p.headers ?? {})) res.setHeader(name, value);
  res.setHeader('cache-control', 'no-store');
  // A body not read to its end leaves the connection unusable for the next request.
  const close = !req.complete;
  if (close) res.setHeader('connection', 'close');
  let sent = '';
  const reply = rawReply(res);
  const send = reply.send;
  reply.send = (payload) => {
    sent = payload;
    return send(payload);
  };
  sendProblem(reply, body);
  if (close) req.resume();
  return sent;
}
