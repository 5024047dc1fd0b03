import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type DomainErrorKind, type FieldProblem } from '@darvazeh/core';

/** RFC 9457 problem details, as every error response of every service looks. */
export interface ProblemDetails {
  /** `urn:darvazeh:problem:<code>`: stable, one per code. */
  type: string;
  title: string;
  status: number;
  /** Stable machine code, e.g. `HAMTA.IMEI_INVALID`; clients branch on it. */
  code: string;
  detail: string;
  /** The request path this problem happened on. */
  instance: string;
  /** What the caller can do next, when the error knows. */
  hint?: string;
  errors?: FieldProblem[];
  requestId?: string;
  /** Seconds until a retry may succeed (rate limits, temporary unavailability). */
  retryAfter?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rule_violation: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Codes for errors raised by the HTTP stack itself, not by our code. */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.TOKEN_INVALID',
  403: 'AUTH.FORBIDDEN',
  404: 'HTTP.NOT_FOUND',
  405: 'HTTP.METHOD_NOT_ALLOWED',
  406: 'HTTP.NOT_ACCEPTABLE',
  408: 'HTTP.TIMEOUT',
  409: 'HTTP.CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  422: 'REQUEST.UNPROCESSABLE',
  429: 'HTTP.TOO_MANY_REQUESTS',
  503: 'HTTP.UNAVAILABLE',
};

// Fastify rejects some requests before Nest sees them (body parsing); their messages are ours.
const FASTIFY_DETAILS: Record<string, { status: number; code: string; detail: (e: FastifyError) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'REQUEST.TOO_LARGE',
    detail: () => 'The request body is larger than this service accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    detail: () => 'Unsupported Content-Type; send application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'REQUEST.INVALID',
    detail: () => 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'REQUEST.INVALID',
    detail: () => 'The body is empty but Content-Type says JSON.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
    detail: () => 'The body is not valid JSON.',
  },
};

interface FastifyError {
  code?: string;
  statusCode?: number;
  message: string;
}

function isFastifyClientError(e: unknown): e is FastifyError {
  if (!(e instanceof Error)) return false;
  const { statusCode, code } = e as FastifyError;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && typeof code === 'string' && code.startsWith('FST_');
}

function titleOf(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

function problem(status: number, code: string, detail: string, instance: string, extra?: Partial<ProblemDetails>): ProblemDetails {
  return { type: `urn:darvazeh:problem:${code}`, title: titleOf(status), status, code, detail, instance, ...extra };
}

/** What a hand-written route (a fast lane, the gateway's proxy) says about a problem it answers. */
export interface ProblemSpec {
  status: number;
  code: string;
  detail: string;
  instance: string;
  title?: string;
  hint?: string;
  errors?: FieldProblem[];
  requestId?: string;
  retryAfter?: number;
}

/**
 * The one builder of problem bodies outside the exception filter: routes that answer without
 * Nest's pipeline (fast lanes, the gateway) use it so their problems look exactly like the
 * filter's (`type: urn:darvazeh:problem:<code>`, the same titles).
 */
export function problemDetails(spec: ProblemSpec): ProblemDetails {
  const { status, code, detail, instance, title, ...extra } = spec;
  const body = problem(status, code, detail, instance, extra);
  if (title) body.title = title;
  for (const key of Object.keys(body) as (keyof ProblemDetails)[]) if (body[key] === undefined) delete body[key];
  return body;
}

/** The minimum of a Fastify reply (or a raw `ServerResponse` wrapper) `sendProblem` needs. */
export interface ProblemReply {
  code(status: number): ProblemReply;
  header(name: string, value: string): ProblemReply;
  send(payload: string): unknown;
}

/** Writes a problem as `application/problem+json` (and `Retry-After` when it says when). */
export function sendProblem(reply: ProblemReply, body: ProblemDetails): unknown {
  reply.code(body.status).header('content-type', PROBLEM_CONTENT_TYPE);
  if (body.retryAfter !== undefined) reply.header('retry-after', String(body.retryAfter));
  return reply.send(JSON.stringify(body));
}

/** Result of mapping a thrown value: the problem and whether it was a failure of ours. */
export interface MappedProblem {
  problem: ProblemDetails;
  /** True for unknown errors and 5xx: logged with the stack, never shown to the caller. */
  unexpected: boolean;
}

/** Maps anything thrown while handling a request to problem details, leaking no internals. */
export function toProblem(exception: unknown, instance: string): MappedProblem {
  if (exception instanceof DomainError) {
    const status = STATUS_OF_KIND[exception.kind] ?? 500;
    return {
      problem: problem(status, exception.code, exception.message, instance, {
        ...(exception.hint ? { hint: exception.hint } : {}),
        ...(exception.errors?.length ? { errors: exception.errors } : {}),
        ...(exception.retryAfterSeconds !== undefined ? { retryAfter: exception.retryAfterSeconds } : {}),
      }),
      unexpected: status >= 500 && exception.kind !== 'unavailable',
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const code = typeof fromBody.code === 'string' ? fromBody.code : (HTTP_CODES[status] ?? `HTTP.${status}`);
    const rawMessage = Array.isArray(fromBody.message) ? fromBody.message.join('; ') : fromBody.message;
    const detail =
      status >= 500
        ? 'internal error'
        : typeof rawMessage === 'string'
          ? rawMessage
          : typeof body === 'string'
            ? body
            : exception.message;
    const errors = Array.isArray(fromBody.errors) ? (fromBody.errors as FieldProblem[]) : undefined;
    return {
      problem: problem(status, code, detail, instance, errors ? { errors } : {}),
      unexpected: status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE,
    };
  }
  if (isFastifyClientError(exception)) {
    const known = exception.code ? FASTIFY_DETAILS[exception.code] : undefined;
    if (known) return { problem: problem(known.status, known.code, known.detail(exception), instance), unexpected: false };
    const status = exception.statusCode!;
    return { problem: problem(status, HTTP_CODES[status] ?? `HTTP.${status}`, exception.message, instance), unexpected: false };
  }
  return { problem: problem(500, 'INTERNAL', 'internal error', instance), unexpected: true };
}
