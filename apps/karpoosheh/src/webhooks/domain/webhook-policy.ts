import { createHmac, timingSafeEqual } from 'node:crypto';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';

/** Headers of every callback (wire format for agencies' receivers). */
export const SIGNATURE_HEADER = 'x-karpoosheh-signature';
export const TIMESTAMP_HEADER = 'x-karpoosheh-timestamp';
export const EVENT_ID_HEADER = 'x-karpoosheh-event-id';

/**
 * `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: binding the timestamp lets a receiver
 * refuse replays older than its tolerance.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, timestamp: number, body: string, signature: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this long since the first attempt, the delivery is parked (default 24 h). */
  giveUpAfterMs: number;
}

/** Which outcomes are worth retrying: server errors, 429, timeouts and network failures; other 4xx are final. */
export function isRetryable(outcome: { status?: number; error?: string }): boolean {
  if (outcome.status === undefined) return true;
  return outcome.status >= 500 || outcome.status === 429 || outcome.status === 408;
}

/**
 * When to try again after `attempts` failed attempts: exponential (base·2^(n-1)), capped, with
 * ±20 % jitter so a recovering receiver is not hit by every delivery at once; null = park.
 */
export function nextAttemptAt(firstAttemptAt: Date, now: Date, attempts: number, policy: RetryPolicy, random: () => number = Math.random): Date | null {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = delay * (0.8 + 0.4 * random());
  const at = new Date(now.getTime() + jittered);
  if (at.getTime() - firstAttemptAt.getTime() > policy.giveUpAfterMs) return null;
  return at;
}

/** Callback URLs: https only in production mode; never credentials in the URL. */
export function checkCallbackUrl(raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KarpooshehError('KARPOOSHEH.CALLBACK_URL_INVALID', 'invalid', 'callbackUrl is not a URL.', { errors: [{ field: 'callbackUrl', message: 'not a URL' }] });
  }
  const allowed = production ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    throw new KarpooshehError('KARPOOSHEH.CALLBACK_URL_INVALID', 'invalid', production ? 'callbackUrl must be https in production.' : 'callbackUrl must be http(s).', {
      errors: [{ field: 'callbackUrl', message: `scheme ${url.protocol} not allowed` }],
    });
  }
  if (url.username || url.password) {
    throw new KarpooshehError('KARPOOSHEH.CALLBACK_URL_INVALID', 'invalid', 'callbackUrl must not carry credentials.', { errors: [{ field: 'callbackUrl', message: 'has user info' }] });
  }
  return url.toString();
}
