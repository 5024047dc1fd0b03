import { describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@darvazeh/core';
import { CursorInvalidError, decodeCursor, encodeCursor, toCursorPage } from './cursor-page.js';
import { problemDetails, sendProblem, toProblem } from './problem-details.js';

function errorOfKind(kind: DomainErrorKind): DomainError {
  return new (class extends DomainError {
    readonly code = 'TEST.CODE';
    readonly kind = kind;
  })('what went wrong');
}

describe('toProblem', () => {
  it.each([
    ['invalid', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['too_large', 413],
    ['unsupported_media_type', 415],
    ['rule_violation', 422],
    ['rate_limited', 429],
    ['unavailable', 503],
  ] as const)('maps DomainError kind %s to status %i', (kind, status) => {
    const { problem } = toProblem(errorOfKind(kind), '/x');
    expect(problem).toMatchObject({ status, code: 'TEST.CODE', detail: 'what went wrong', instance: '/x', type: 'urn:darvazeh:problem:TEST.CODE' });
  });

  it('carries retryAfterSeconds of a rate-limited error into the problem (sent as Retry-After)', () => {
    const limited = new (class extends DomainError {
      readonly code = 'TEST.LIMITED';
      readonly kind = 'rate_limited' as const;
    })('slow down', { retryAfterSeconds: 42 });
    expect(toProblem(limited, '/x').problem).toMatchObject({ status: 429, code: 'TEST.LIMITED', retryAfter: 42 });
  });

  it('maps Nest HTTP exceptions by status with stable codes', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'), '/nope').problem).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND' });
    expect(toProblem(new PayloadTooLargeException(), '/').problem).toMatchObject({ status: 413, code: 'REQUEST.TOO_LARGE' });
    expect(toProblem(new BadRequestException(['a must be a string', 'b is bad']), '/').problem.detail).toBe('a must be a string; b is bad');
  });

  it('never shows the message of an unknown error and flags it as unexpected', () => {
    const mapped = toProblem(new TypeError("Cannot read properties of undefined (reading 'rows') at /srv/app.js"), '/x');
    expect(mapped.unexpected).toBe(true);
    expect(mapped.problem).toEqual({
      type: 'urn:darvazeh:problem:INTERNAL',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL',
      detail: 'internal error',
      instance: '/x',
    });
  });

  it('hides the message of a 5xx HttpException', () => {
    const { problem } = toProblem(new ServiceUnavailableException('db at 10.1.2.3 down'), '/');
    expect(problem.detail).toBe('internal error');
  });
});

describe('cursor pages', () => {
  it('round-trips a cursor and rejects a tampered one as a 400-kind error', () => {
    const cursor = encodeCursor({ createdAt: '2026-01-01T00:00:00Z', id: 'a' });
    expect(decodeCursor(cursor)).toEqual({ createdAt: '2026-01-01T00:00:00Z', id: 'a' });
    expect(() => decodeCursor('not-base64-json!')).toThrow(CursorInvalidError);
    expect(() => decodeCursor(encodeCursor({ id: 1 }), (v): v is { id: string } => typeof v.id === 'string')).toThrow(CursorInvalidError);
  });

  it('uses the extra row only to say another page exists', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const page = toCursorPage(rows, 2, (r) => ({ id: r.id }), (r) => r.id);
    expect(page.items).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ id: 2 });
    expect(toCursorPage(rows.slice(0, 2), 2, (r) => ({ id: r.id }), (r) => r.id).nextCursor).toBeNull();
  });
});

describe('problemDetails / sendProblem (hand-written routes)', () => {
  it('builds the same shape as the exception filter, with the urn type of its code', () => {
    const fromFilter = toProblem(new NotFoundException(), '/x').problem;
    const built = problemDetails({ status: 404, code: fromFilter.code, detail: fromFilter.detail, instance: '/x' });
    expect(built).toEqual(fromFilter);
    expect(problemDetails({ status: 502, code: 'GATEWAY.UPSTREAM_UNAVAILABLE', detail: 'identity did not answer', instance: '/api/identity/x' }))
      .toEqual({
        type: 'urn:darvazeh:problem:GATEWAY.UPSTREAM_UNAVAILABLE',
        title: 'Bad Gateway',
        status: 502,
        code: 'GATEWAY.UPSTREAM_UNAVAILABLE',
        detail: 'identity did not answer',
        instance: '/api/identity/x',
      });
  });

  it('writes problem+json with Retry-After when the problem says when', () => {
    const sent: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
    const reply = {
      code(status: number) { sent.status = status; return reply; },
      header(name: string, value: string) { sent.headers[name] = value; return reply; },
      send(payload: string) { sent.body = payload; return reply; },
    };
    sendProblem(reply, problemDetails({ status: 429, code: 'RATE.LIMITED', detail: 'slow down', instance: '/a', retryAfter: 7 }));
    expect(sent.status).toBe(429);
    expect(sent.headers).toEqual({ 'content-type': 'application/problem+json', 'retry-after': '7' });
    expect(JSON.parse(sent.body!)).toMatchObject({ code: 'RATE.LIMITED', retryAfter: 7, type: 'urn:darvazeh:problem:RATE.LIMITED' });
  });
});
