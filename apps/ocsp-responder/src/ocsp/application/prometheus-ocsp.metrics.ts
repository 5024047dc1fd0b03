import type { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@darvazeh/observability';
import { OcspMetrics } from './ocsp-metrics.js';
import type { PresignedResponseCache } from '../../presigned-responses/application/presigned-response.cache.js';

/** OCSP metrics on the service's registry; cache ratio and staleness are computed at scrape time. */
export class PrometheusOcspMetrics extends OcspMetrics {
  private readonly responses: Counter<'outcome' | 'issuer'>;
  private readonly signing: Histogram<'issuer' | 'kind'>;
  /** Bound once: this runs on every cacheable request, and a labelled inc() hashes its labels each time. */
  private readonly lookupHit: { inc(): void };
  private readonly lookupMiss: { inc(): void };
  private readonly lookupCounts = { served: 0, cacheable: 0 };
  /** The responses counter bound per outcome and issuer, for the same reason. */
  private readonly responsesBound = new Map<string, { inc(): void }>();

  constructor(registry: MetricsRegistry, cache: PresignedResponseCache) {
    super();
    this.responses = registry.counter('ocsp_responses_total', 'OCSP responses by outcome (good/revoked/unknown/mixed or error status) and issuer', ['outcome', 'issuer']);
    this.signing = registry.histogram('ocsp_signing_seconds', 'Time to sign one OCSP response', ['issuer', 'kind'], [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5]);
    const lookups = registry.counter('ocsp_cache_lookups_total', 'Cacheable requests (one CertID, no nonce echoed) by result: hit (pre-signed answer) or miss', ['result']);
    this.lookupHit = lookups.labels({ result: 'hit' });
    this.lookupMiss = lookups.labels({ result: 'miss' });
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
    const key = `${outcome}\u0000${issuer}`;
    let bound = this.responsesBound.get(key);
    if (!bound) this.responsesBound.set(key, (bound = this.responses.labels({ outcome, issuer })));
    bound.inc();
  }

  signed(seconds: number, issuer: string, kind: 'live' | 'presign'): void {
    this.signing.observe({ issuer, kind }, seconds);
  }

  cacheLookup(served: boolean): void {
    this.lookupCounts.cacheable++;
    if (served) this.lookupCounts.served++;
    (served ? this.lookupHit : this.lookupMiss).inc();
  }
}
