import { describe, expect, it } from '@jest/globals';
import { IdempotencyKeyReusedError, checkIdempotencyKey, decideIdempotency, requestFingerprint } from './idempotency.js';

describe('idempotency rules', () => {
  const body = { subject: 'ابلاغیه', recipients: ['0012345679'], category: 'tax' };

  it('executes a key seen for the first time', () => {
    expect(decideIdempotency(null, requestFingerprint(body))).toEqual({ kind: 'execute' });
  });

  it('replays the stored result for the same key and the same body', () => {
    const stored = { requestHash: requestFingerprint(body), responseStatus: 201, responseBody: { noticeId: 'n1' } };
    expect(decideIdempotency(stored, requestFingerprint({ ...body }))).toEqual({ kind: 'replay', status: 201, body: { noticeId: 'n1' } });
  });

  it('treats a re-serialised body with other key order as the same body', () => {
    expect(requestFingerprint({ category: 'tax', recipients: ['0012345679'], subject: 'ابلاغیه' })).toBe(requestFingerprint(body));
  });

  it('refuses the same key with a different body (422)', () => {
    const stored = { requestHash: requestFingerprint(body), responseStatus: 201, responseBody: {} };
    expect(() => decideIdempotency(stored, requestFingerprint({ ...body, subject: 'other' }))).toThrow(IdempotencyKeyReusedError);
    try {
      decideIdempotency(stored, requestFingerprint({ ...body, subject: 'other' }));
    } catch (e) {
      expect((e as IdempotencyKeyReusedError).kind).toBe('rule_violation');
    }
  });

  it('requires a well-formed key', () => {
    expect(() => checkIdempotencyKey(undefined)).toThrow(/required/);
    expect(() => checkIdempotencyKey('short')).toThrow(/8-128/);
    expect(checkIdempotencyKey('0b8f7c2e-1111-4444-8888-123456789abc')).toBe('0b8f7c2e-1111-4444-8888-123456789abc');
  });
});
