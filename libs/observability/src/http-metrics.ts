import type { Histogram } from 'prom-client';
import type { MetricsRegistry } from './metrics-registry.js';

export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';

export function httpDurationHistogram(metrics: MetricsRegistry): Histogram<'method' | 'route' | 'status_code'> {
  return metrics.histogram(
    HTTP_DURATION_METRIC,
    'HTTP request duration by method, route template and status',
    ['method', 'route', 'status_code'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
}

interface FastifyLike {
  addHook(
    name: 'onResponse',
    hook: (
      request: { method: string; routeOptions?: { url?: string } },
      reply: { statusCode: number; elapsedTime: number },
      done: () => void,
    ) => void,
  ): unknown;
}

/**
 * Times every response by its route template (`/devices/:id`), never the raw URL: raw URLs
 * would create one series per id and blow up Prometheus.
 */
export function instrumentFastify(instance: FastifyLike, metrics: MetricsRegistry): void {
  const histogram = httpDurationHistogram(metrics);
  instance.addHook('onResponse', (request, reply, done) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions?.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
