import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '@darvazeh/observability';
import type { GsbDirectory } from './gsb-directory.js';

/**
 * GSB series on /metrics. Labels stay bounded: service codes of the catalog (anything else is
 * `-`), consumer agencies that hold or held a grant (anyone else is `other`), fixed outcomes.
 */
export class GsbMetrics {
  private readonly exchanges: Counter<'service_code' | 'outcome'>;
  private readonly consumers: Counter<'consumer' | 'outcome'>;
  private readonly chainOk: Gauge;

  constructor(
    registry: MetricsRegistry,
    private readonly directory: GsbDirectory,
    pendingLogRows: () => number,
  ) {
    this.exchanges = registry.counter('gsb_exchanges_total', 'GSB calls through the gateway by service and outcome (allowed, denied, failed)', ['service_code', 'outcome']);
    this.consumers = registry.counter('gsb_consumer_exchanges_total', 'GSB calls by consumer agency and outcome', ['consumer', 'outcome']);
    this.chainOk = registry.gauge('gsb_exchange_log_chain_ok', 'Last verification of the exchange-log hash chain: 1 intact, 0 broken');
    registry.gauge('gsb_exchange_log_pending', 'Exchange-log rows queued in memory, not yet written', [], function collect() {
      this.set(pendingLogRows());
    });
  }

  chainVerified(ok: boolean): void {
    this.chainOk.set(ok ? 1 : 0);
  }

  record(serviceCode: string, consumer: string | null, outcome: 'allowed' | 'denied' | 'failed'): void {
    this.exchanges.inc({ service_code: this.directory.service(serviceCode) ? serviceCode : '-', outcome });
    this.consumers.inc({ consumer: consumer && this.directory.knownAgencies.has(consumer) ? consumer : 'other', outcome });
  }
}
