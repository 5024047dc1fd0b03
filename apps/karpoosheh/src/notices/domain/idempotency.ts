import { createHash } from 'node:crypto';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';

/** Stored outcome of the first request made with a key. */
export interface IdempotencyRecord {
  requestHash: string;
  responseStatus: number;
  responseBody: unknown;
}

export type IdempotencyDecision = { kind: 'execute' } | { kind: 'replay'; status: number; body: unknown };

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

export function checkIdempotencyKey(key: string | undefined): string {
  if (key === undefined || key.length === 0) {
    throw new KarpooshehError('KARPOOSHEH.IDEMPOTENCY_KEY_REQUIRED', 'invalid', 'The Idempotency-Key header is required.', {
      errors: [{ field: 'Idempotency-Key', message: 'missing' }],
      hint: 'Send a unique key (e.g. a UUID) per notice; retry with the same key and the same body.',
    });
  }
  if (!KEY_PATTERN.test(key)) {
    throw new KarpooshehError('KARPOOSHEH.IDEMPOTENCY_KEY_INVALID', 'invalid', 'Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 . _ : -', {
      errors: [{ field: 'Idempotency-Key', message: 'malformed' }],
    });
  }
  return key;
}

/** Order-independent hash of a JSON body (object keys sorted), so re-serialised retries match. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(stableJson(body)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export class IdempotencyKeyReusedError extends KarpooshehError {
  constructor() {
    super('KARPOOSHEH.IDEMPOTENCY_KEY_REUSED', 'rule_violation', 'This Idempotency-Key was used with a different request body.', {
      hint: 'Use a new key for a different notice.',
    });
  }
}

export class IdempotencyKeyInFlightError extends KarpooshehError {
  constructor() {
    super('KARPOOSHEH.IDEMPOTENCY_KEY_IN_FLIGHT', 'conflict', 'A request with this Idempotency-Key is still being processed.', {
      hint: 'Retry in a moment with the same key and body.',
      retryAfterSeconds: 1,
    });
  }
}

/**
 * The rule: no record → execute; same body → the stored result; different body → 422. (In
 * flight → 409 is decided by the lock the caller could not take.)
 */
export function decideIdempotency(existing: IdempotencyRecord | null, requestHash: string): IdempotencyDecision {
  if (!existing) return { kind: 'execute' };
  if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
}
