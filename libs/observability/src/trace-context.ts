import { AsyncContextSlot } from '@darvazeh/core';
import { randomFillSync } from 'node:crypto';

// No Nest imports here: libs/messaging uses this to carry traceparent into and out of Kafka
// headers and must not pull in the HTTP stack.

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** A parsed W3C trace context (https://www.w3.org/TR/trace-context/). */
export interface Traceparent {
  traceId: string;
  /** Span id of the current unit of work (this request or this consumed message). */
  spanId: string;
  /** Span id of the caller, when we continued an incoming trace. */
  parentSpanId?: string;
  flags: string;
}

/** Parses a `traceparent` header; undefined when absent or malformed (then a new trace starts). */
export function parseTraceparent(header: string | undefined | null): Traceparent | undefined {
  if (!header) return undefined;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags] = m;
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags };
}

export function formatTraceparent(t: Traceparent): string {
  return `00-${t.traceId}-${t.spanId}-${t.flags}`;
}

// Every request and consumed message needs a span id (and often a trace id). A crypto call per
// id (randomBytes allocates a buffer and enters OpenSSL each time) was ~2% of the gateway's CPU
// under load; ids are cut from a pool filled 4 KiB at a time instead (as Node's randomUUID does).
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomHex(bytes: number, zero: string): string {
  for (;;) {
    if (poolOffset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    // All zeros is an invalid id in W3C trace context (chance 2^-64 or less, but never send one).
    if (hex !== zero) return hex;
  }
}

export function newTraceId(): string {
  return randomHex(16, ZERO_TRACE);
}

export function newSpanId(): string {
  return randomHex(8, ZERO_SPAN);
}

/**
 * Continues the trace of an incoming `traceparent` (new span, caller as parent) or starts a
 * new sampled trace when there is none or it is malformed.
 */
export function childOf(header: string | undefined | null): Traceparent {
  const parent = parseTraceparent(header);
  if (!parent) return { traceId: newTraceId(), spanId: newSpanId(), flags: '01' };
  return { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.spanId, flags: parent.flags };
}

const storage = new AsyncContextSlot<Traceparent>('trace-context');

/**
 * The trace of the work running in this async context: set by the HTTP middleware for a request
 * and by the event transport for a consumed message, read by the outbox when it stores events.
 */
export const TraceContext = {
  /**
   * Runs `fn` inside a span continuing `traceparent` (or a new trace when absent/malformed).
   * Returns what `fn` returns.
   */
  run<T>(traceparent: string | undefined | null, fn: () => T): T {
    return storage.run(childOf(traceparent), fn);
  },
  /** Runs `fn` with exactly this context (no new span). */
  runWith<T>(context: Traceparent, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): Traceparent | undefined {
    return storage.get();
  },
};

/** The `traceparent` header value of the current context, if any. */
export function currentTraceparent(): string | undefined {
  const t = storage.get();
  return t ? formatTraceparent(t) : undefined;
}

/** The trace id of the current context, for log lines. */
export function currentTraceId(): string | undefined {
  return storage.get()?.traceId;
}
