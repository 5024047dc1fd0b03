import type { DynamicModule } from '@nestjs/common';
import type { EnvSource, ServiceEnv } from '@darvazeh/config';
import { startService, type RunningService } from '@darvazeh/http';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testKafkaBrokers, testKafkaNamespace } from './kafka.js';
import { TestIssuer } from './test-issuer.js';

/** Log level of services started by tests: `silent` unless TEST_LOG_LEVEL says otherwise. */
export function testLogLevel(): string {
  return process.env.TEST_LOG_LEVEL ?? 'silent';
}

export interface StartTestServiceOptions<E extends ServiceEnv> {
  service: string;
  envClass: new () => E;
  module: (env: E) => DynamicModule;
  /** Label of the fresh database (default: the service name). */
  label?: string;
  /** Token issuer the service trusts (default: a new TestIssuer, closed with the service). */
  issuer?: TestIssuer;
  /** `kafka` (default): the real broker of KAFKA_BROKERS; `in-process`: the embedded bus. */
  bus?: 'kafka' | 'in-process';
  /** Extra or overriding variables (e.g. the app's own required secrets). */
  env?: EnvSource;
}

export interface TestService<E extends ServiceEnv> extends RunningService<E> {
  db: TestDatabase;
  issuer: TestIssuer;
  /**
   * Stops the app and boots it again on the same database, broker namespace and issuer (a
   * process restart: what survives it is what was durable). `app`, `url` and `env` then name the
   * new instance, which listens on a new port.
   */
  restart(): Promise<void>;
  /** Closes the app, drops its database, stops the issuer if this helper started it. */
  close(): Promise<void>;
}

/**
 * Boots one app the way main.ts does (startService: env validation, migrations, Fastify on a
 * free loopback port, event transport) against a fresh test database, the real Kafka broker
 * (under this test file's namespace, see testKafkaNamespace) and a TestIssuer, so tests talk to it over real HTTP with `fetch(`${svc.url}/...`)`.
 */
export async function startTestService<E extends ServiceEnv>(options: StartTestServiceOptions<E>): Promise<TestService<E>> {
  const db = await createTestDatabase(options.label ?? options.service);
  const ownIssuer = !options.issuer;
  const issuer = options.issuer ?? (await TestIssuer.start());
  const boot = () =>
    startService({
      service: options.service,
      envClass: options.envClass,
      module: options.module,
      port: 0,
      envSource: {
        SERVICE_NAME: options.service,
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: (options.bus ?? 'kafka') === 'kafka' ? testKafkaBrokers() : '',
        // Topics and groups of this test file only; kcat reads them as testTopic('<topic>').
        KAFKA_NAMESPACE: testKafkaNamespace(),
        KAFKA_TOPIC_PARTITIONS: '3',
        KAFKA_REPLICATION_FACTOR: '1',
        JWKS_URL: issuer.jwksUrl,
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: issuer.audience,
        // Service logs stay out of test output; TEST_LOG_LEVEL=info (or debug) shows them.
        LOG_LEVEL: testLogLevel(),
        MIGRATE_ON_START: 'true',
        ...options.env,
      },
    });
  try {
    let running: RunningService<E> | null = await boot();
    const service: TestService<E> = {
      ...running,
      db,
      issuer,
      restart: async () => {
        await running?.close();
        running = null;
        running = await boot();
        Object.assign(service, { app: running.app, url: running.url, env: running.env });
      },
      close: async () => {
        try {
          await running?.close();
        } finally {
          running = null;
          await db.drop();
          if (ownIssuer) await issuer.close();
        }
      },
    };
    return service;
  } catch (error) {
    await db.drop().catch(() => undefined);
    if (ownIssuer) await issuer.close().catch(() => undefined);
    throw error;
  }
}
