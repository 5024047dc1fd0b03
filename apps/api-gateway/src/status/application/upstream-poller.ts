import type { UpstreamName } from '../../edge/domain/route-table.js';

export type AppState = 'ready' | 'not_ready' | 'down' | 'unknown';

export interface AppHealth {
  name: UpstreamName;
  state: AppState;
  since: Date;
  checkedAt: Date | null;
  consumerLag: number | null;
  outboxBacklog: number | null;
}

export interface Incident {
  app: string;
  from: AppState;
  to: AppState;
  at: string;
}

const MAX_INCIDENTS = 200;
const SAMPLE_MINUTES = 60;

/**
 * Polls every app's `/health/ready` (200 = ready, another answer = up but not ready, no answer
 * = down) and `/metrics` (sums of `consumer_lag` and `outbox_backlog`), keeps the state changes
 * as incidents and, per minute, how many polls found the app ready (availability).
 */
export class UpstreamPoller {
  private readonly health = new Map<UpstreamName, AppHealth>();
  private readonly samples = new Map<UpstreamName, Map<number, { ok: number; total: number }>>();
  private readonly incidents: Incident[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly urls: Record<UpstreamName, string>,
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    for (const name of Object.keys(urls) as UpstreamName[]) {
      this.health.set(name, { name, state: 'unknown', since: new Date(this.now()), checkedAt: null, consumerLag: null, outboxBacklog: null });
    }
  }

  start(): void {
    void this.pollAll();
    this.timer = setInterval(() => void this.pollAll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  apps(): AppHealth[] {
    return [...this.health.values()];
  }

  recentIncidents(): Incident[] {
    return [...this.incidents].reverse();
  }

  /** Share of polls in the last `minutes` that found the app ready (null before any poll). */
  availability(name: UpstreamName, minutes: number): number | null {
    const byMinute = this.samples.get(name);
    if (!byMinute) return null;
    const from = Math.floor(this.now() / 60_000) - minutes;
    let ok = 0;
    let total = 0;
    for (const [minute, s] of byMinute) {
      if (minute <= from) continue;
      ok += s.ok;
      total += s.total;
    }
    return total === 0 ? null : ok / total;
  }

  async pollAll(): Promise<void> {
    await Promise.all((Object.entries(this.urls) as [UpstreamName, string][]).map(([name, url]) => this.poll(name, url)));
  }

  private async poll(name: UpstreamName, base: string): Promise<void> {
    const state = await probe(`${base}/health/ready`, Math.min(2_000, this.intervalMs));
    const current = this.health.get(name)!;
    const at = new Date(this.now());
    if (state !== current.state) {
      if (current.state !== 'unknown' || state !== 'ready') {
        this.incidents.push({ app: name, from: current.state, to: state, at: at.toISOString() });
        if (this.incidents.length > MAX_INCIDENTS) this.incidents.shift();
      }
      current.state = state;
      current.since = at;
    }
    current.checkedAt = at;
    if (state !== 'down') {
      const figures = await scrape(`${base}/metrics`, Math.min(2_000, this.intervalMs));
      current.consumerLag = figures?.consumerLag ?? null;
      current.outboxBacklog = figures?.outboxBacklog ?? null;
    }
    const minute = Math.floor(at.getTime() / 60_000);
    let byMinute = this.samples.get(name);
    if (!byMinute) {
      byMinute = new Map();
      this.samples.set(name, byMinute);
    }
    const s = byMinute.get(minute) ?? { ok: 0, total: 0 };
    s.total += 1;
    if (state === 'ready') s.ok += 1;
    byMinute.set(minute, s);
    for (const m of byMinute.keys()) if (m <= minute - SAMPLE_MINUTES) byMinute.delete(m);
  }
}

async function probe(url: string, timeoutMs: number): Promise<AppState> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200 ? 'ready' : 'not_ready';
  } catch {
    return 'down';
  }
}

/** Sums of two gauges of the Prometheus text format (every label combination). */
export function sumGauges(text: string): { consumerLag: number | null; outboxBacklog: number | null } {
  let lag: number | null = null;
  let backlog: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('consumer_lag')) lag = (lag ?? 0) + valueOf(line);
    else if (line.startsWith('outbox_backlog')) backlog = (backlog ?? 0) + valueOf(line);
  }
  return { consumerLag: lag, outboxBacklog: backlog };
}

function valueOf(line: string): number {
  const v = Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(v) ? v : 0;
}

async function scrape(url: string, timeoutMs: number): Promise<{ consumerLag: number | null; outboxBacklog: number | null } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return null;
    return sumGauges(await res.text());
  } catch {
    return null;
  }
}
