import {
  Global,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnModuleInit,
} from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ContractCatalog, EVENT_CATALOG } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { MetricsRegistry } from '@darvazeh/observability';
import { InProcessMessageBus } from './in-process-message-bus.js';
import { KafkaMessageBus } from './kafka-message-bus.js';
import { MessageBus } from './message-bus.port.js';
import { MessagingMetrics } from './messaging.metrics.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { OutboxWriter } from './outbox/outbox-writer.js';
import { EventBusServer, type RetryPolicy } from './transport/event-bus.server.js';
import { ProcessedEventsJanitor } from './transport/processed-events.janitor.js';

export interface MessagingOptions {
  /** Service name: consumer group, CloudEvents source `/darvazeh/<service>`. */
  service: string;
  /** Kafka bootstrap brokers; empty or absent → the process-wide in-process bus. */
  kafkaBrokers?: string[];
  /** Prefix of topics and consumer groups on the wire (see KafkaBusOptions.namespace). */
  kafkaNamespace?: string;
  /** Topics this service publishes to or reads; provisioned (with `.dlt`) at start. */
  topics: string[];
  partitions?: number;
  replicationFactor?: number;
  relay?: { enabled?: boolean; batchSize?: number; pollMs?: number };
  retry?: Partial<RetryPolicy>;
  /** Partitions consumed in parallel. */
  concurrency?: number;
  /** Days a processed event id is remembered for de-duplication (default 7; 0 = forever). */
  processedEventsRetentionDays?: number;
  /** Messages of one partition handled in one database transaction (default 100; 1 = one per message). */
  consumerBatchSize?: number;
  /** Registry for the messaging metrics; default the service's MetricsRegistry (observability), else a private one. */
  metricsRegistry?: Registry;
  /** Contracts to use (default: every registered contract). */
  contracts?: ContractCatalog;
  /** A bus to use instead of the one the options pick (tests). */
  bus?: MessageBus;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

@Injectable()
class MessagingLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(EventBusServer) private readonly server: EventBusServer,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  private janitor: ProcessedEventsJanitor | undefined;

  async onModuleInit(): Promise<void> {
    try {
      await this.bus.ensureTopics(
        this.options.topics.map((name) => ({
          name,
          partitions: this.options.partitions ?? 3,
          replicationFactor: this.options.replicationFactor ?? 1,
        })),
      );
    } catch (error) {
      // Nest runs no shutdown hook when init fails: release the broker connections here, or the
      // failed process would linger instead of exiting with the error.
      if (this.bus !== InProcessMessageBus.shared()) await this.bus.close().catch(() => undefined);
      throw error;
    }
    if (this.options.relay?.enabled ?? true) this.relay.start();
    const retentionDays = this.options.processedEventsRetentionDays ?? 7;
    if (retentionDays > 0) {
      this.janitor = new ProcessedEventsJanitor(this.dataSource, { retentionDays });
      this.janitor.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the database module closes the pool: the relay and consumers still need it.
    await this.relay.stop();
    await this.janitor?.stop();
    await this.server.close();
    // The shared in-process bus belongs to the whole embedded process, not to one app.
    if (this.bus !== InProcessMessageBus.shared()) await this.bus.close();
  }
}

/**
 * Messaging for one service: the bus (Kafka when brokers are given, else the shared in-process
 * bus), the outbox writer and relay, and the EventBusServer transport that serves the app's
 * `@EventPattern` consumers — connect it with
 * `app.connectMicroservice({ strategy: app.get(EventBusServer) })`. Needs DatabaseModule.
 */
@Global()
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: ContractCatalog, useValue: options.contracts ?? EVENT_CATALOG },
        {
          provide: MessagingMetrics,
          useFactory: (serviceMetrics?: MetricsRegistry) =>
            new MessagingMetrics(options.metricsRegistry ?? serviceMetrics?.registry),
          inject: [{ token: MetricsRegistry, optional: true }],
        },
        {
          provide: MessageBus,
          useFactory: () =>
            options.bus ??
            (options.kafkaBrokers && options.kafkaBrokers.length > 0
              ? new KafkaMessageBus({ brokers: options.kafkaBrokers, clientId: options.service, namespace: options.kafkaNamespace })
              : InProcessMessageBus.shared()),
        },
        {
          provide: OutboxWriter,
          useFactory: (catalog: ContractCatalog) => new OutboxWriter(catalog, `/darvazeh/${options.service}`),
          inject: [ContractCatalog],
        },
        {
          provide: OutboxRelay,
          useFactory: (dataSource: DataSource, bus: MessageBus, metrics: MessagingMetrics, writer: OutboxWriter) => {
            const relay = new OutboxRelay(dataSource, bus, { batchSize: options.relay?.batchSize, pollMs: options.relay?.pollMs }, metrics);
            // Rows written by a caller's own one-statement transaction (OutboxWriter.render) wake it too.
            writer.onWritten(() => relay.nudge());
            return relay;
          },
          inject: [DataSource, MessageBus, MessagingMetrics, OutboxWriter],
        },
        {
          provide: EventBusServer,
          useFactory: (bus: MessageBus, transactions: TransactionRunner, catalog: ContractCatalog, metrics: MessagingMetrics) =>
            new EventBusServer(
              bus,
              transactions,
              catalog,
              {
                service: options.service,
                retry: options.retry,
                concurrency: options.concurrency,
                maxBatchSize: options.consumerBatchSize,
                partitions: options.partitions,
                replicationFactor: options.replicationFactor,
              },
              metrics,
            ),
          inject: [MessageBus, TransactionRunner, ContractCatalog, MessagingMetrics],
        },
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, ContractCatalog, MessagingMetrics, MessageBus, OutboxWriter, OutboxRelay, EventBusServer],
    };
  }
}
