import { Counter, Gauge, Registry, type Metric } from 'prom-client';

/**
 * The messaging metrics of one service, in the registry that service exposes at /metrics
 * (`MetricsRegistry.registry` from @darvazeh/observability), never prom-client's global one:
 * the embedded mode runs several services in one process. Get-or-create, so two modules of one
 * service share a series instead of failing with "already registered".
 */
export class MessagingMetrics {
  readonly outboxBacklog: Gauge;
  readonly outboxPublished: Counter;
  readonly consumed: Counter;
  readonly failedAttempts: Counter;
  readonly deadLettered: Counter;
  readonly consumerLag: Gauge;
  private readBacklog: (() => Promise<number>) | undefined;

  constructor(readonly registry: Registry = new Registry()) {
    const metrics = this;
    this.outboxBacklog = this.getOrCreate(
      'outbox_backlog',
      () =>
        new Gauge({
          name: 'outbox_backlog',
          help: 'Events committed to the outbox and not yet published',
          registers: [registry],
          async collect() {
            if (!metrics.readBacklog) return;
            try {
              this.set(await metrics.readBacklog());
            } catch {
              // a scrape during shutdown or a database outage keeps the last value
            }
          },
        }),
    );
    this.outboxPublished = this.getOrCreate(
      'outbox_published_total',
      () => new Counter({ name: 'outbox_published_total', help: 'Events the outbox relay published to the bus', registers: [registry] }),
    );
    this.consumed = this.getOrCreate(
      'events_consumed_total',
      () =>
        new Counter({
          name: 'events_consumed_total',
          help: 'Events consumed, by outcome (handled, duplicate, ignored, dead_lettered)',
          labelNames: ['group', 'type', 'outcome'],
          registers: [registry],
        }),
    );
    this.failedAttempts = this.getOrCreate(
      'event_handler_failures_total',
      () =>
        new Counter({
          name: 'event_handler_failures_total',
          help: 'Handler attempts that failed (each retry counts)',
          labelNames: ['group', 'type'],
          registers: [registry],
        }),
    );
    this.deadLettered = this.getOrCreate(
      'dead_letters_total',
      () =>
        new Counter({
          name: 'dead_letters_total',
          help: 'Messages sent to a dead-letter topic, by origin topic and reason',
          labelNames: ['group', 'topic', 'reason'],
          registers: [registry],
        }),
    );
    this.consumerLag = this.getOrCreate(
      'consumer_lag',
      () =>
        new Gauge({
          name: 'consumer_lag',
          help: 'Messages behind the end of the partition, as last seen by the consumer',
          labelNames: ['group', 'topic', 'partition'],
          registers: [registry],
        }),
    );
  }

  /** Makes the backlog gauge read the live value on every scrape. */
  trackBacklog(read: () => Promise<number>): void {
    this.readBacklog = read;
  }

  private getOrCreate<M extends Metric>(name: string, create: () => M): M {
    return (this.registry.getSingleMetric(name) as M | undefined) ?? create();
  }
}
