import { describe, expect, it } from '@jest/globals';
import { checkCallbackUrl, isRetryable, nextAttemptAt, signWebhook, verifyWebhookSignature } from './webhook-policy.js';

describe('webhook policy', () => {
  it('signs timestamp.body with HMAC-SHA256 and verifies within the tolerance only', () => {
    const sig = signWebhook('s3cret-s3cret', 1_700_000_000, '{"a":1}');
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret-s3cret', 1_700_000_000, '{"a":1}', sig, 1_700_000_100)).toBe(true);
    expect(verifyWebhookSignature('s3cret-s3cret', 1_700_000_000, '{"a":2}', sig, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature('other-secret', 1_700_000_000, '{"a":1}', sig, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret', 1_700_000_000, '{"a":1}', sig, 1_700_001_000)).toBe(false);
  });

  it('retries 5xx, 429, 408 and network errors; not other 4xx', () => {
    expect([500, 503, 429, 408].map((status) => isRetryable({ status }))).toEqual([true, true, true, true]);
    expect(isRetryable({ error: 'ECONNREFUSED' })).toBe(true);
    expect([400, 401, 404, 410].map((status) => isRetryable({ status }))).toEqual([false, false, false, false]);
  });

  it('backs off exponentially, capped, and parks after 24 h', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 3_600_000, giveUpAfterMs: 24 * 3_600_000 };
    const first = new Date('2026-12-07T00:00:00Z');
    const mid = () => 0.5; // no jitter
    expect(nextAttemptAt(first, first, 1, policy, mid)!.getTime() - first.getTime()).toBe(1000);
    expect(nextAttemptAt(first, first, 4, policy, mid)!.getTime() - first.getTime()).toBe(8000);
    expect(nextAttemptAt(first, first, 30, policy, mid)!.getTime() - first.getTime()).toBe(3_600_000);
    const late = new Date(first.getTime() + 23.5 * 3_600_000);
    expect(nextAttemptAt(first, late, 30, policy, mid)).toBeNull();
  });

  it('accepts only https callback URLs in production', () => {
    expect(() => checkCallbackUrl('http://agency.example/cb', true)).toThrow(/https/);
    expect(checkCallbackUrl('https://agency.example/cb', true)).toBe('https://agency.example/cb');
    expect(checkCallbackUrl('http://127.0.0.1:9/cb', false)).toBe('http://127.0.0.1:9/cb');
    expect(() => checkCallbackUrl('https://u:p@agency.example/cb', false)).toThrow(/credentials/);
    expect(() => checkCallbackUrl('ftp://agency.example', false)).toThrow();
  });
});
