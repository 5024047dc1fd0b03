import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { childOf, formatTraceparent, type Traceparent } from './trace-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's request id is echoed into our logs and response headers; only accept a short id
// of safe characters so a client cannot inject log lines or huge headers.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface Tagged {
  darvazehRequestId?: string;
  darvazehTrace?: Traceparent;
}

/** The request id of a raw request: the caller's `x-request-id` when sane, else a new UUID. Set once. */
export function ensureRequestId(req: IncomingMessage, res?: ServerResponse): string {
  const tagged = req as IncomingMessage & Tagged;
  if (!tagged.darvazehRequestId) {
    const header = req.headers[REQUEST_ID_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    tagged.darvazehRequestId = given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  }
  if (res && !res.headersSent && !res.hasHeader(REQUEST_ID_HEADER)) {
    res.setHeader(REQUEST_ID_HEADER, tagged.darvazehRequestId);
  }
  return tagged.darvazehRequestId;
}

/** The span of this request: continues the caller's `traceparent` or starts a trace. Set once. */
export function ensureTrace(req: IncomingMessage): Traceparent {
  const tagged = req as IncomingMessage & Tagged;
  if (!tagged.darvazehTrace) {
    const header = req.headers.traceparent;
    tagged.darvazehTrace = childOf(Array.isArray(header) ? header[0] : header);
  }
  return tagged.darvazehTrace;
}

/** Request id of a Fastify or raw request (the filter logs 500s with it). */
export function requestIdOf(request: unknown): string | undefined {
  const raw = ((request as { raw?: unknown })?.raw ?? request) as IncomingMessage & Tagged;
  return raw?.darvazehRequestId;
}

export function traceparentOf(request: unknown): string | undefined {
  const raw = ((request as { raw?: unknown })?.raw ?? request) as IncomingMessage & Tagged;
  return raw?.darvazehTrace ? formatTraceparent(raw.darvazehTrace) : undefined;
}
