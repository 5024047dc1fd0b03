import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JwtVerifier, PrincipalRevocationModule, principalRevocationMigrations } from '@darvazeh/auth';
import { TOPICS } from '@darvazeh/contracts';
import { PlatformModule, rateLimitMigrations } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { MetricsRegistry } from '@darvazeh/observability';
import { ApiGatewayEnv } from './config/api-gateway.env.js';
import { RouteTable } from './edge/domain/route-table.js';
import { UpstreamTargets, upstreamUrls } from './edge/application/upstream-targets.js';
import { VerifiedTokenCache } from './edge/application/token-cache.js';
import { EdgeAuthenticator } from './edge/application/edge-authenticator.js';
import { EdgeRateLimits } from './edge/application/edge-rate-limits.js';
import { EdgeMetrics } from './edge/application/edge-metrics.js';
import { EdgeHandler } from './edge/http/edge.handler.js';
import { TrafficStats } from './status/application/traffic-stats.js';
import { GatewayRuntime } from './gateway-runtime.js';

export const GATEWAY_SERVICE = 'api-gateway';
export const GATEWAY_ENTITIES = [];
export const GATEWAY_MIGRATIONS = [...messagingMigrations, ...principalRevocationMigrations, rateLimitMigrations];

@Module({})
export class ApiGatewayModule {
  static register(env: ApiGatewayEnv): DynamicModule {
    const logger = new Logger('ApiGateway');
    const logError = (err: unknown) => logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return {
      module: ApiGatewayModule,
      imports: [
        PlatformModule.forService({
          service: GATEWAY_SERVICE,
          env,
          entities: GATEWAY_ENTITIES,
          migrations: GATEWAY_MIGRATIONS,
          topics: [TOPICS.identityPrincipals],
        }),
        PrincipalRevocationModule,
      ],
      controllers: [],
      providers: [
        { provide: RouteTable, useFactory: () => new RouteTable() },
        { provide: UpstreamTargets, useFactory: () => new UpstreamTargets(upstreamUrls(env), env.UPSTREAM_CONNECTIONS) },
        { provide: VerifiedTokenCache, useFactory: () => new VerifiedTokenCache(env.TOKEN_CACHE_SIZE) },
        {
          provide: EdgeAuthenticator,
          inject: [JwtVerifier, VerifiedTokenCache],
          useFactory: (v: JwtVerifier, c: VerifiedTokenCache) => new EdgeAuthenticator(v, c),
        },
        { provide: EdgeRateLimits, inject: [DataSource], useFactory: (ds: DataSource) => new EdgeRateLimits(env.RATE_LIMIT_STORE, ds) },
        { provide: TrafficStats, useFactory: () => new TrafficStats() },
        { provide: EdgeMetrics, inject: [MetricsRegistry, TrafficStats], useFactory: (m: MetricsRegistry, s: TrafficStats) => new EdgeMetrics(m, s) },
        {
          provide: EdgeHandler,
          inject: [RouteTable, UpstreamTargets, EdgeAuthenticator, EdgeRateLimits, EdgeMetrics],
          useFactory: (routes: RouteTable, targets: UpstreamTargets, auth: EdgeAuthenticator, limits: EdgeRateLimits, metrics: EdgeMetrics) =>
            new EdgeHandler(
              routes,
              targets.apps,
              auth,
              limits,
              metrics,
              {
                maxHeaderBytes: env.GATEWAY_MAX_HEADER_BYTES,
                bodyLimitBytes: env.GATEWAY_BODY_LIMIT_BYTES,
                bulkBodyLimitBytes: env.GATEWAY_BULK_BODY_LIMIT_BYTES,
                timeoutMs: env.UPSTREAM_TIMEOUT_MS,
                bulkTimeoutMs: env.UPSTREAM_BULK_TIMEOUT_MS,
                retries: env.UPSTREAM_RETRIES,
                ratePerMinute: env.RATE_LIMIT_PER_MINUTE,
                corsOrigins: env.CORS_ORIGINS,
              },
              logError,
            ),
        },
        GatewayRuntime,
      ],
    };
  }
}
