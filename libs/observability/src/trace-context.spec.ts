import { describe, expect, it } from '@jest/globals';
import { TraceContext, childOf, currentTraceId, currentTraceparent, newSpanId, newTraceId, parseTraceparent } from './trace-context.js';

const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('TraceContext', () => {
  it('parses a valid W3C traceparent', () => {
    expect(parseTraceparent(incoming)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
  });

  it('rejects malformed, all-zero and version ff traceparents', () => {
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(parseTraceparent(`00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`)).toBeUndefined();
    expect(parseTraceparent(`ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`)).toBeUndefined();
  });

  it('continues an incoming trace with a new span whose parent is the caller', () => {
    const child = childOf(incoming);
    expect(child.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child.parentSpanId).toBe('00f067aa0ba902b7');
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('cuts distinct, well-formed ids from its random pool, also across refills', () => {
    // 4 KiB pool: 2,000 trace ids and 2,000 span ids refill it a dozen times.
    const traces = Array.from({ length: 2_000 }, () => newTraceId());
    const spans = Array.from({ length: 2_000 }, () => newSpanId());
    expect(traces.every((t) => /^[0-9a-f]{32}$/.test(t) && t !== '0'.repeat(32))).toBe(true);
    expect(spans.every((t) => /^[0-9a-f]{16}$/.test(t) && t !== '0'.repeat(16))).toBe(true);
    expect(new Set(traces).size).toBe(traces.length);
    expect(new Set(spans).size).toBe(spans.length);
  });

  it('starts a new trace when there is no incoming one', () => {
    const t = childOf(undefined);
    expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(t.flags).toBe('01');
  });

  it('exposes the current traceparent inside run and across awaits, and nothing outside', async () => {
    expect(currentTraceparent()).toBeUndefined();
    const seen = await TraceContext.run(incoming, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return { tp: currentTraceparent(), id: currentTraceId() };
    });
    expect(seen.id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(seen.tp).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(currentTraceparent()).toBeUndefined();
  });
});
