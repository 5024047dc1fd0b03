import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DomainError } from '@darvazeh/core';
import type { FastifyInstance } from 'fastify';
import type { Observable } from 'rxjs';

/** Deepest nesting of arrays/objects a JSON body may have (no DTO of ours comes close). */
export const MAX_JSON_DEPTH = 32;

export class JsonTooDeepError extends DomainError {
  readonly code = 'REQUEST.JSON_TOO_DEEP';
  readonly kind = 'invalid' as const;
  constructor(maxDepth: number) {
    super(`The JSON body nests arrays or objects more than ${maxDepth} levels deep.`);
  }
}

export class MalformedJsonError extends DomainError {
  readonly code = 'REQUEST.MALFORMED_JSON';
  readonly kind = 'invalid' as const;
  constructor(detail = 'The body is not valid JSON.') {
    super(detail);
  }
}

/** PostgreSQL text cannot hold NUL, and a lone surrogate is no character: both are refused up front. */
export class InvalidCharactersError extends DomainError {
  readonly code = 'REQUEST.INVALID_CHARACTERS';
  readonly kind = 'invalid' as const;
  constructor(field: string) {
    super('The body holds a NUL character or an unpaired surrogate (\\u0000, \\ud800…), which no field accepts.', {
      errors: [{ field, message: 'must not contain NUL characters or unpaired surrogates' }],
    });
  }
}

export class JsonContentTypeRequiredError extends DomainError {
  readonly code = 'REQUEST.UNSUPPORTED_MEDIA_TYPE';
  readonly kind = 'unsupported_media_type' as const;
  constructor(received: string) {
    super(`This route takes application/json, not ${received || 'a body without Content-Type'}.`, {
      hint: 'Send the body as JSON with "Content-Type: application/json".',
    });
  }
}

/**
 * Depth of the deepest array/object nesting, scanned on the raw text before JSON.parse (which
 * would recurse without bound and overflow the stack on `[[[[…`). Stops counting past `limit`.
 */
export function jsonNestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** The path of the first string (key or value) holding NUL or a lone surrogate, if any. */
export function findInvalidString(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') || !isWellFormed(value) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findInvalidString(value[i], path ? `${path}.${i}` : String(i));
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.includes('\u0000') || !isWellFormed(key)) return here;
      const bad = findInvalidString(child, here);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

/**
 * Replaces Fastify's `application/json` parser with one that keeps its protection against
 * `__proto__`/`constructor` poisoning (Fastify's own parser does the parsing) and adds a nesting
 * limit (checked before parsing) and the NUL / lone-surrogate check, each answered 400.
 */
export function installJsonBodyParser(fastify: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonNestingDepth(text, maxDepth) > maxDepth) return done(new JsonTooDeepError(maxDepth), undefined);
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (error) {
        const code = (error as { code?: string }).code;
        // Keep Fastify's own answers (empty body, size) and name the rest malformed JSON.
        return done(code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? error : new MalformedJsonError(), undefined);
      }
      const bad = findInvalidString(value);
      if (bad !== undefined) return done(new InvalidCharactersError(bad), undefined);
      done(null, value);
    });
  });
}

/**
 * Global interceptor: a route that reads a `@Body()` DTO takes JSON only. Without it a
 * `text/plain` body became a string and the caller got a 400 listing every field; now 415.
 * Routes that read the raw request (`@Req()`, file uploads, the OAuth form) are not affected.
 */
export class JsonBodyContentTypeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && takesBody(context)) {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; body?: unknown }>();
      const hasBody = request.headers['content-length'] !== undefined ? request.headers['content-length'] !== '0' : request.headers['transfer-encoding'] !== undefined;
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (hasBody && type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
        throw new JsonContentTypeRequiredError(type);
      }
    }
    return next.handle();
  }
}

const takesBodyCache = new WeakMap<object, boolean>();

function takesBody(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  const cached = takesBodyCache.get(handler);
  if (cached !== undefined) return cached;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
  const result = Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
  takesBodyCache.set(handler, result);
  return result;
}
