import { Catch, Logger, type ArgumentsHost, type ExceptionFilter, type LoggerService } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { requestIdOf } from '@darvazeh/observability';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details.js';

interface RequestLike {
  url?: string;
  raw?: { url?: string };
}

interface ReplyLike {
  sent?: boolean;
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * The one place errors become HTTP: DomainErrors by kind, Nest/Fastify HTTP errors by status,
 * anything else 500 "internal error" (logged with the request id; the caller sees no message,
 * stack or SQL). For event handlers (RPC) the error is handed back to the transport untouched,
 * so it can retry or dead-letter.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService = new Logger('ProblemDetailsFilter')) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const reply = http.getResponse<ReplyLike>();
    const path = (request.url ?? request.raw?.url ?? '').split('?')[0];
    const { problem, unexpected } = toProblem(exception, path);
    const requestId = requestIdOf(request);
    if (requestId) problem.requestId = requestId;
    if (unexpected) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ msg: 'unhandled error', requestId, path, err: { name: err.name, message: err.message, stack: err.stack } });
    }
    if (reply.sent) return;
    reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE);
    if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
    if (problem.retryAfter !== undefined) reply.header('retry-after', String(Math.max(0, Math.ceil(problem.retryAfter))));
    reply.send(JSON.stringify(problem));
  }
}
