import { Counter, type Histogram } from 'prom-client';
import type { MetricsRegistry } from '@darvazeh/observability';
import { OcspMetrics } from './ocsp-metrics.js';
import type { PresignedResponseCache } from '../../presigned-responses/application/presigned-response.cache.js';

/** OCSP metrics on the service's registry; cache ratio and staleness are computed at scrape time. */
/** A count kept as a plain integer on the hot path and added to its Prometheus series at scrape time. */
interface PendingCount {
  labels: Record<string, string>;
  n: number;
}

/**
 * OCSP metrics on the service's registry; cache ratio and staleness are computed at scrape time.
 *
 * Why batched: a prom-client `inc()` hashes (sorts and joins) its labels on every call, even on a
 * bound child, and these counters move on every OCSP answer. Here an answer costs two integer
 * increments on objects looked up by identity; each counter's `collect` (run by prom-client at
 * every scrape, and by `get()`) adds what accumulated since the last scrape. The label set stays
 * bounded as before (outcomes × served issuers and "-").
 */
export class PrometheusOcspMetrics extends OcspMetrics {
  private readonly signing: Histogram<'issuer' | 'kind'>;
  private readonly lookupHit: PendingCount = { labels: { result: 'hit' }, n: 0 };
  private readonly lookupMiss: PendingCount = { labels: { result: 'miss' }, n: 0 };
  private readonly lookupCounts = { served: 0, cacheable: 0 };
  /** Pending response counts per issuer, then per outcome: two Map lookups, no key string built per answer. */
  private readonly responsesPending = new Map<string, Map<string, PendingCount>>();

  constructor(registry: MetricsRegistry, cache: PresignedResponseCache) {
    super();
    const pendingResponses = this.responsesPending;
    batchedCounter(registry, 'ocsp_responses_total', 'OCSP responses by outcome (good/revoked/unknown/mixed or error status) and issuer', ['outcome', 'issuer'], function () {
      for (const byOutcome of pendingResponses.values()) for (const pending of byOutcome.values()) flush(this, pending);
    });
    this.signing = registry.histogram('ocsp_signing_seconds', 'Time to sign one OCSP response', ['issuer', 'kind'], [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5]);
    const { lookupHit, lookupMiss } = this;
    batchedCounter(registry, 'ocsp_cache_lookups_total', 'Cacheable requests (one CertID, no nonce echoed) by result: hit (pre-signed answer) or miss', ['result'], function () {
      flush(this, lookupHit);
      flush(this, lookupMiss);
    });
    const counts = this.lookupCounts;
    // Counts the bounded cache of never-issued serials too: its answers are pre-signed as well.
    registry.gauge('ocsp_cache_hit_ratio', 'Share of cacheable requests served from pre-signed responses', [], function () {
      this.set(counts.cacheable === 0 ? 0 : counts.served / counts.cacheable);
    });
    registry.gauge('ocsp_presigned_responses', 'Pre-signed responses held in memory', [], function () {
      this.set(cache.size);
    });
    registry.gauge('ocsp_presigned_oldest_age_seconds', 'Age of the oldest pre-signed response (thisUpdate)', [], function () {
      const oldest = cache.oldestThisUpdate();
      this.set(oldest ? (Date.now() - oldest.getTime()) / 1000 : 0);
    });
  }

  response(outcome: string, issuer: string): void {
    let byOutcome = this.responsesPending.get(issuer);
    if (!byOutcome) this.responsesPending.set(issuer, (byOutcome = new Map()));
    let pending = byOutcome.get(outcome);
    if (!pending) byOutcome.set(outcome, (pending = { labels: { outcome, issuer }, n: 0 }));
    pending.n++;
  }

  signed(seconds: number, issuer: string, kind: 'live' | 'presign'): void {
    this.signing.observe({ issuer, kind }, seconds);
  }

  cacheLookup(served: boolean): void {
    this.lookupCounts.cacheable++;
    if (served) {
      this.lookupCounts.served++;
      this.lookupHit.n++;
    } else this.lookupMiss.n++;
  }
}

function flush(counter: Counter<string>, pending: PendingCount): void {
  // Always touched, zero included: the series exists from its first answer on, as with inc().
  counter.inc(pending.labels, pending.n);
  pending.n = 0;
}

/**
 * A counter on the service's registry whose `collect` adds the pending counts. MetricsRegistry's
 * get-or-create has no `collect` parameter (libs/observability is not ours to change), so the
 * counter is made here on the same prom-client registry; one made earlier under the same name
 * (another responder on this registry, in tests) is replaced, since its collect would read
 * the other instance's counts.
 */
function batchedCounter(registry: MetricsRegistry, name: string, help: string, labelNames: string[], collect: (this: Counter<string>) => void): void {
  if (registry.registry.getSingleMetric(name)) registry.registry.removeSingleMetric(name);
  new Counter({ name, help, labelNames, registers: [registry.registry], collect });
}
