/**
 * The gateway's own per-upstream traffic figures for the status page: one slot per minute for
 * the last hour, each with request and error counts and a log-scale latency histogram (bucket
 * i holds latencies up to 2^(i/4) ms, ~19% resolution), so percentiles over any window of the
 * hour are a merge of a few arrays. Recording is a few array writes: it sits on the hot path.
 */
export const MINUTES = 60;
const BUCKETS = 96;
const BOUNDS = Array.from({ length: BUCKETS }, (_, i) => 2 ** (i / 4) / 4);

interface Slot {
  minute: number;
  count: number;
  errors: number;
  latency: Uint32Array;
}

export interface WindowFigures {
  requests: number;
  errors: number;
  errorRate: number;
  requestsPerSecond: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface MinutePoint {
  /** Epoch ms of the minute's start. */
  t: number;
  requests: number;
  errors: number;
  p95: number | null;
}

class Series {
  private readonly slots: Slot[] = Array.from({ length: MINUTES }, () => ({ minute: -1, count: 0, errors: 0, latency: new Uint32Array(BUCKETS) }));

  record(minute: number, ms: number, error: boolean): void {
    const slot = this.slots[minute % MINUTES];
    if (slot.minute !== minute) {
      slot.minute = minute;
      slot.count = 0;
      slot.errors = 0;
      slot.latency.fill(0);
    }
    slot.count += 1;
    if (error) slot.errors += 1;
    slot.latency[bucketOf(ms)] += 1;
  }

  window(nowMinute: number, minutes: number): { count: number; errors: number; latency: Uint32Array } {
    const latency = new Uint32Array(BUCKETS);
    let count = 0;
    let errors = 0;
    for (const slot of this.slots) {
      if (slot.minute < 0 || slot.minute <= nowMinute - minutes || slot.minute > nowMinute) continue;
      count += slot.count;
      errors += slot.errors;
      for (let i = 0; i < BUCKETS; i += 1) latency[i] += slot.latency[i];
    }
    return { count, errors, latency };
  }

  points(nowMinute: number): MinutePoint[] {
    const out: MinutePoint[] = [];
    for (let m = nowMinute - MINUTES + 1; m <= nowMinute; m += 1) {
      const slot = this.slots[((m % MINUTES) + MINUTES) % MINUTES];
      const live = slot.minute === m;
      out.push({ t: m * 60_000, requests: live ? slot.count : 0, errors: live ? slot.errors : 0, p95: live ? percentile(slot.latency, slot.count, 0.95) : null });
    }
    return out;
  }
}

function bucketOf(ms: number): number {
  if (ms <= BOUNDS[0]) return 0;
  const i = Math.ceil(4 * Math.log2(ms * 4));
  return i >= BUCKETS ? BUCKETS - 1 : i;
}

function percentile(latency: Uint32Array, count: number, q: number): number | null {
  if (count === 0) return null;
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i += 1) {
    seen += latency[i];
    if (seen >= rank) return Math.round(BOUNDS[i] * 100) / 100;
  }
  return BOUNDS[BUCKETS - 1];
}

export class TrafficStats {
  private readonly series = new Map<string, Series>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `error`: the upstream failed the call (5xx or no answer); 4xx are the caller's. */
  record(upstream: string, ms: number, error: boolean): void {
    let s = this.series.get(upstream);
    if (!s) {
      s = new Series();
      this.series.set(upstream, s);
    }
    s.record(Math.floor(this.now() / 60_000), ms, error);
  }

  figures(upstream: string, minutes: number): WindowFigures {
    return this.figuresOf([upstream], minutes);
  }

  /** The figures of several series taken together (e.g. every GSB service of one provider). */
  figuresOf(names: readonly string[], minutes: number): WindowFigures {
    const nowMinute = Math.floor(this.now() / 60_000);
    const w = { count: 0, errors: 0, latency: new Uint32Array(BUCKETS) };
    for (const name of names) {
      const part = this.series.get(name)?.window(nowMinute, Math.min(MINUTES, minutes));
      if (!part) continue;
      w.count += part.count;
      w.errors += part.errors;
      for (let i = 0; i < BUCKETS; i += 1) w.latency[i] += part.latency[i];
    }
    // The current minute is partly elapsed: the rate divides by the time actually covered.
    const elapsed = (Math.min(MINUTES, minutes) - 1) * 60 + ((this.now() % 60_000) / 1000 || 1);
    return {
      requests: w.count,
      errors: w.errors,
      errorRate: w.count === 0 ? 0 : w.errors / w.count,
      requestsPerSecond: Math.round((w.count / Math.max(1, Math.min(elapsed, minutes * 60))) * 100) / 100,
      p50: percentile(w.latency, w.count, 0.5),
      p95: percentile(w.latency, w.count, 0.95),
      p99: percentile(w.latency, w.count, 0.99),
    };
  }

  points(upstream: string): MinutePoint[] {
    const s = this.series.get(upstream);
    const nowMinute = Math.floor(this.now() / 60_000);
    return s ? s.points(nowMinute) : new Series().points(nowMinute);
  }

  names(): string[] {
    return [...this.series.keys()];
  }
}
