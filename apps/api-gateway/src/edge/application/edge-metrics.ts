import type { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@darvazeh/observability';
import type { TrafficStats } from '../../status/application/traffic-stats.js';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * Per-upstream series on /metrics (labels: upstream names from config and status classes, so the
 * set is bounded) and the status page's in-memory figures, recorded together.
 */
export class EdgeMetrics {
  private readonly requests: Counter<'upstream' | 'status_class'>;
  private readonly duration: Histogram<'upstream'>;
  private readonly refused: Counter<'reason'>;
  private readonly counters = new Map<string, Counter.Internal>();
  private readonly timers = new Map<string, Histogram.Internal<'upstream'>>();

  constructor(
    registry: MetricsRegistry,
    private readonly stats: TrafficStats,
  ) {
    this.requests = registry.counter('gateway_upstream_requests_total', 'Requests proxied by the gateway, by upstream and status class', ['upstream', 'status_class']);
    this.duration = registry.histogram(
      'gateway_upstream_duration_seconds',
      'Time from the request at the gateway to the end of the upstream answer',
      ['upstream'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    this.refused = registry.counter('gateway_refused_total', 'Requests the gateway answered itself without an upstream, by reason', ['reason']);
  }

  upstream(upstream: string, status: number, ms: number): void {
    const cls = STATUS_CLASSES[Math.min(4, Math.max(0, Math.floor(status / 100) - 1))];
    const key = `${upstream} ${cls}`;
    let c = this.counters.get(key);
    if (!c) {
      c = this.requests.labels(upstream, cls);
      this.counters.set(key, c);
    }
    c.inc();
    let h = this.timers.get(upstream);
    if (!h) {
      h = this.duration.labels(upstream);
      this.timers.set(upstream, h);
    }
    h.observe(ms / 1000);
    this.stats.record(upstream, ms, status >= 500);
  }

  /** `reason`: a fixed word (unauthenticated, forbidden, revoked, rate_limited, bad_request, ...). */
  refusal(reason: string): void {
    this.refused.inc({ reason });
  }
}
