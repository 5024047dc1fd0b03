import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { DestinationStream, Logger } from 'pino';
import { HealthController } from './health.controller.js';
import { instrumentFastify } from './http-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';
import { createRequestContextMiddleware } from './request-context.middleware.js';
import { ServiceLogger, createPinoLogger } from './service-logger.js';

export interface ObservabilityOptions {
  service: string;
  logLevel: string;
  /** Log destination (default stdout); tests read lines from it. */
  logDestination?: DestinationStream;
}

/** Injection token of the service's pino logger. */
export const PINO_LOGGER = Symbol('PINO_LOGGER');

@Module({})
export class ObservabilityModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  static forService(options: ObservabilityOptions): DynamicModule {
    const pinoLogger = createPinoLogger({
      service: options.service,
      level: options.logLevel,
      destination: options.logDestination,
    });
    const providers = [
      { provide: PINO_LOGGER, useValue: pinoLogger },
      { provide: ServiceLogger, useValue: new ServiceLogger(pinoLogger) },
      { provide: MetricsRegistry, useValue: new MetricsRegistry(options.service) },
    ];
    return {
      module: ObservabilityModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers,
      exports: providers.map((p) => p.provide),
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(createRequestContextMiddleware(this.logger)).forRoutes('{*splat}');
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'fastify') {
      instrumentFastify(adapter.getInstance(), this.metrics);
    }
  }
}
