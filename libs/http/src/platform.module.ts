import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { AuthModule } from '@darvazeh/auth';
import { ConfigModule, type ServiceEnv } from '@darvazeh/config';
import { DatabaseModule } from '@darvazeh/database';
import { MessageBus, MessagingModule, type MessagingOptions } from '@darvazeh/messaging';
import { HEALTH_PROBES, ObservabilityModule, type HealthProbe } from '@darvazeh/observability';
import type { DestinationStream } from 'pino';

type Constructor = new (...args: never[]) => unknown;

export interface PlatformOptions<E extends ServiceEnv = ServiceEnv> {
  service: string;
  env: E;
  entities: MixedList<Constructor | string | EntitySchema>;
  migrations: MixedList<Constructor | string>;
  /** Topic names this service produces or consumes (provisioned at start). */
  topics: readonly string[];
  /** Log destination override (tests). */
  logDestination?: DestinationStream;
  /** Messaging overrides (retry policy, concurrency, a bus instance in tests). */
  messaging?: Partial<Omit<MessagingOptions, 'service' | 'topics'>>;
}

@Module({})
class HealthProbesModule {
  static register(): DynamicModule {
    return {
      module: HealthProbesModule,
      global: true,
      providers: [
        {
          provide: HEALTH_PROBES,
          inject: [DataSource, MessageBus],
          useFactory: (dataSource: DataSource, bus: MessageBus): HealthProbe[] => [databaseProbe(dataSource), busProbe(bus)],
        },
      ],
      exports: [HEALTH_PROBES],
    };
  }
}

/**
 * Everything a service stands on, in one import: validated config, its database, the event bus,
 * logs/metrics/health, and token verification.
 */
@Module({})
export class PlatformModule {
  static forService<E extends ServiceEnv>(options: PlatformOptions<E>): DynamicModule {
    const { env, service } = options;
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forService(env),
        ObservabilityModule.forService({ service, logLevel: env.LOG_LEVEL, logDestination: options.logDestination }),
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          entities: options.entities,
          migrations: options.migrations,
          applicationName: service,
        }),
        MessagingModule.forService({
          service,
          kafkaBrokers: env.KAFKA_BROKERS,
          kafkaNamespace: env.KAFKA_NAMESPACE,
          processedEventsRetentionDays: env.PROCESSED_EVENTS_RETENTION_DAYS,
          topics: [...options.topics],
          partitions: env.KAFKA_TOPIC_PARTITIONS,
          replicationFactor: env.KAFKA_REPLICATION_FACTOR,
          ...options.messaging,
          relay: { enabled: env.OUTBOX_RELAY_ENABLED, ...options.messaging?.relay },
        }),
        AuthModule.forService({ jwksUrl: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE }),
        HealthProbesModule.register(),
      ],
    };
  }
}

export function databaseProbe(dataSource: DataSource): HealthProbe {
  return {
    name: 'database',
    check: async () => {
      await dataSource.query('select 1');
      return true;
    },
  };
}

export function busProbe(bus: MessageBus): HealthProbe {
  return { name: 'bus', check: () => bus.isHealthy() };
}
