import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Logger } from 'pino';
import { ensureRequestId, ensureTrace } from './request-context.js';
import { TraceContext } from './trace-context.js';

/**
 * One middleware for the whole request context, so its parts cannot run in the wrong order:
 * request id (caller's x-request-id or new, echoed back), trace span (from traceparent), the
 * access log line, and the AsyncLocalStorage scope every later log line and outbox write reads.
 */
export function createRequestContextMiddleware(logger: Logger) {
  const httpLogger: HttpLogger = pinoHttp({
    logger,
    genReqId: (req, res) => ensureRequestId(req, res),
    // trace_id/span_id come from the logger's mixin (the AsyncLocalStorage scope set below).
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      // Never log credentials.
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return function requestContext(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void {
    // Fastify puts its own id on the raw request; ours (honouring x-request-id) replaces it.
    (req as IncomingMessage & { id?: string }).id = ensureRequestId(req, res);
    const trace = ensureTrace(req);
    httpLogger(req, res);
    TraceContext.runWith(trace, () => next());
  };
}
