import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { InvalidConfigError, loadEnv, type EnvSource, type ServiceEnv } from '@darvazeh/config';
import { runMigrations } from '@darvazeh/database';
import { EventBusServer } from '@darvazeh/messaging';
import { SERVICE_ROUTING_LOGGER, ServiceLogger, ensureRequestId, runInServiceContext } from '@darvazeh/observability';
import { setupDocs } from './docs.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { installJsonBodyParser, JsonBodyContentTypeInterceptor } from './json-body.js';
import { createValidationPipe } from './validation.js';

export interface StartServiceOptions<E extends ServiceEnv> {
  service: string;
  envClass: new () => E;
  /** Defaults to process.env (read by @darvazeh/config). */
  envSource?: EnvSource;
  module: (env: E) => DynamicModule;
  /** Overrides env PORT (0 = any free port; tests). */
  port?: number;
}

export interface RunningService<E extends ServiceEnv = ServiceEnv> {
  app: NestFastifyApplication;
  /** `http://host:port` the service listens on. */
  url: string;
  env: E;
  close(): Promise<void>;
}

/** The provider if some module of the app has it; unlike app.get, absence is not logged as an error. */
function tryGet<T>(app: INestApplication, token: unknown): T | undefined {
  const modules = app.get(ModulesContainer);
  for (const module of modules.values()) {
    if (module.providers.has(token as never)) return app.get(token as never, { strict: false }) as T;
  }
  return undefined;
}

/**
 * Boots one service: validated env → Nest app on Fastify (body limit from env) with the global
 * problem+json filter and validation pipe, Swagger at /docs, migrations when MIGRATE_ON_START,
 * the event transport, then listen. Used by main.ts (via runService), embedded mode and tests.
 */
export function startService<E extends ServiceEnv>(options: StartServiceOptions<E>): Promise<RunningService<E>> {
  // Everything the service starts (servers, timers, consumers) runs in its own logging context,
  // so Nest's static Logger writes under this service's name even with others in the process.
  return runInServiceContext((bindLogger) => bootService(options, bindLogger));
}

async function bootService<E extends ServiceEnv>(
  options: StartServiceOptions<E>,
  bindLogger: (logger: ServiceLogger) => void,
): Promise<RunningService<E>> {
  const env = options.envSource === undefined ? loadEnv(options.envClass) : loadEnv(options.envClass, options.envSource);
  env.SERVICE_NAME ??= options.service;
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    // request.ip comes from X-Forwarded-For only when the peer is one of these proxies.
    ...(env.TRUST_PROXY.length > 0 ? { trustProxy: env.TRUST_PROXY.join(',') } : {}),
    // Fastify's request.id is the same id the logs and the x-request-id response header carry.
    genReqId: (raw: IncomingMessage) => ensureRequestId(raw),
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module(env), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  try {
    const logger = tryGet<ServiceLogger>(app, ServiceLogger);
    if (logger) {
      bindLogger(logger);
      app.useLogger(SERVICE_ROUTING_LOGGER);
    }
    app.useGlobalFilters(new ProblemDetailsFilter(logger));
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalInterceptors(new JsonBodyContentTypeInterceptor());

    setupDocs(app, options.service);

    const dataSource = tryGet<DataSource>(app, DataSource);
    if (env.MIGRATE_ON_START && dataSource) await runMigrations(dataSource);

    // Module init (topic provisioning, outbox relay) only after the schema exists.
    await app.init();
    // After init: Nest registers its own JSON parser there; ours replaces it.
    installJsonBodyParser(app.getHttpAdapter().getInstance());
    await connectEventTransport(app);
    app.enableShutdownHooks();
    const port = options.port ?? env.PORT;
    await app.listen({ port, host: env.HOST });
    const address = app.getHttpServer().address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${actualPort}`;
    return { app, url, env, close: () => app.close() };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Serves the app's `@EventPattern` consumers through the messaging transport. inheritAppConfig
 * gives them the global filter/pipes/guards (which pass RPC contexts through untouched).
 */
async function connectEventTransport(app: NestFastifyApplication): Promise<void> {
  const server = tryGet<EventBusServer>(app, EventBusServer);
  if (!server) return;
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}

/**
 * For main.ts: starts the service from process.env; a bad env prints every bad variable and
 * exits 1 instead of half-starting.
 */
export async function runService<E extends ServiceEnv>(options: Omit<StartServiceOptions<E>, 'envSource'>): Promise<RunningService<E>> {
  try {
    const running = await startService(options);
    tryGet<ServiceLogger>(running.app, ServiceLogger)?.log(`${options.service} listening on ${running.url}`, 'Bootstrap');
    return running;
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`${options.service}: cannot start, configuration is invalid:\n`);
      for (const p of error.problems) process.stderr.write(`  - ${p.variable}: ${p.problems.join('; ')}\n`);
    } else {
      process.stderr.write(`${options.service}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  }
}
