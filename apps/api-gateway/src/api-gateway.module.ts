import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JwtVerifier, PrincipalRevocationModule, principalRevocationMigrations } from '@darvazeh/auth';
import { TOPICS } from '@darvazeh/contracts';
import { PlatformModule, rateLimitMigrations } from '@darvazeh/http';
import { TransactionRunner } from '@darvazeh/database';
import { messagingMigrations, OutboxWriter } from '@darvazeh/messaging';
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
import { GsbExchange1765000000000 } from './migrations/1765000000000-gsb-exchange.js';
import { ExchangeLogCheckpoint1765100000000 } from './migrations/1765100000000-exchange-log-checkpoint.js';
import { GsbDirectory } from './gsb/application/gsb-directory.js';
import { GsbProjectionRepository } from './gsb/domain/gsb-projection.repository.js';
import { ExchangeLogRepository } from './gsb/domain/exchange-log.repository.js';
import { ExchangeEvidenceRepository } from './gsb/domain/exchange-evidence.repository.js';
import { SigningKeyRepository } from './gsb/domain/signing-key.repository.js';
import { TypeOrmGsbProjectionRepository } from './gsb/persistence/typeorm-gsb-projection.repository.js';
import { TypeOrmExchangeLogRepository } from './gsb/persistence/typeorm-exchange-log.repository.js';
import { TypeOrmExchangeEvidenceRepository } from './gsb/persistence/typeorm-exchange-evidence.repository.js';
import { TypeOrmSigningKeyRepository } from './gsb/persistence/typeorm-signing-key.repository.js';
import { ApplyGrantStateUseCase, ApplyServiceChangeUseCase } from './gsb/application/apply-projection.use-cases.js';
import { ExchangeLogWriter } from './gsb/application/exchange-log.writer.js';
import { ExchangeLogQueries } from './gsb/application/exchange-log.queries.js';
import { GsbMetrics } from './gsb/application/gsb-metrics.js';
import { GatewayKeyHolder } from './gsb/application/gateway-key.holder.js';
import { ExchangeEvidencePublisher } from './gsb/application/chain-head.publisher.js';
import { GsbLane } from './gsb/http/gsb.lane.js';
import { ExchangeLogController } from './gsb/http/exchange-log.controller.js';
import { GsbProjectionConsumer } from './gsb/messaging/gsb-projection.consumer.js';
import { UpstreamPoller } from './status/application/upstream-poller.js';
import { StatusSnapshotBuilder } from './status/application/status-snapshot.js';
import { parseServiceCards } from './status/application/service-cards.js';
import { StatusController } from './status/http/status.controller.js';
import { readDataFile } from './config/data-file.js';

export const GATEWAY_SERVICE = 'api-gateway';
export const GATEWAY_ENTITIES = [];
export const GATEWAY_MIGRATIONS = [...messagingMigrations, ...principalRevocationMigrations, rateLimitMigrations, GsbExchange1765000000000, ExchangeLogCheckpoint1765100000000];

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
          topics: [TOPICS.identityPrincipals, TOPICS.gsbGrants, TOPICS.gsbCatalog, TOPICS.gsbExchanges],
        }),
        PrincipalRevocationModule,
      ],
      controllers: [ExchangeLogController, StatusController, GsbProjectionConsumer],
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
        { provide: GsbDirectory, useFactory: () => new GsbDirectory() },
        { provide: GsbProjectionRepository, inject: [TransactionRunner], useFactory: (tx: TransactionRunner) => new TypeOrmGsbProjectionRepository(tx) },
        { provide: ExchangeLogRepository, inject: [TransactionRunner], useFactory: (tx: TransactionRunner) => new TypeOrmExchangeLogRepository(tx) },
        { provide: ExchangeEvidenceRepository, inject: [TransactionRunner], useFactory: (tx: TransactionRunner) => new TypeOrmExchangeEvidenceRepository(tx) },
        { provide: SigningKeyRepository, inject: [TransactionRunner], useFactory: (tx: TransactionRunner) => new TypeOrmSigningKeyRepository(tx) },
        ApplyGrantStateUseCase,
        ApplyServiceChangeUseCase,
        {
          provide: ExchangeLogWriter,
          inject: [TransactionRunner, ExchangeLogRepository],
          useFactory: (tx: TransactionRunner, repo: ExchangeLogRepository) =>
            new ExchangeLogWriter(tx, repo, { batchSize: env.EXCHANGE_LOG_BATCH_SIZE, flushMs: env.EXCHANGE_LOG_FLUSH_MS }, logError),
        },
        ExchangeLogQueries,
        {
          provide: GsbMetrics,
          inject: [MetricsRegistry, GsbDirectory, ExchangeLogWriter],
          useFactory: (m: MetricsRegistry, d: GsbDirectory, w: ExchangeLogWriter) => new GsbMetrics(m, d, () => w.pending),
        },
        { provide: GatewayKeyHolder, useFactory: () => new GatewayKeyHolder() },
        {
          provide: ExchangeEvidencePublisher,
          inject: [TransactionRunner, ExchangeLogRepository, ExchangeEvidenceRepository, ExchangeLogWriter, OutboxWriter, GatewayKeyHolder],
          useFactory: (
            tx: TransactionRunner,
            repo: ExchangeLogRepository,
            evidence: ExchangeEvidenceRepository,
            w: ExchangeLogWriter,
            o: OutboxWriter,
            k: GatewayKeyHolder,
          ) => new ExchangeEvidencePublisher(tx, repo, evidence, w, o, () => k.key, logError),
        },
        {
          provide: GsbLane,
          inject: [GsbDirectory, UpstreamTargets, EdgeRateLimits, ExchangeLogWriter, GsbMetrics, EdgeMetrics],
          useFactory: (d: GsbDirectory, t: UpstreamTargets, l: EdgeRateLimits, w: ExchangeLogWriter, gm: GsbMetrics, em: EdgeMetrics) =>
            new GsbLane(d, t, l, w, gm, em, { timeoutMs: env.UPSTREAM_TIMEOUT_MS, bodyLimitBytes: env.GATEWAY_BODY_LIMIT_BYTES, retries: env.UPSTREAM_RETRIES }, logError),
        },
        { provide: UpstreamPoller, useFactory: () => new UpstreamPoller(upstreamUrls(env), env.STATUS_POLL_MS) },
        {
          provide: StatusSnapshotBuilder,
          inject: [UpstreamPoller, TrafficStats, GsbDirectory],
          useFactory: (p: UpstreamPoller, s: TrafficStats, d: GsbDirectory) =>
            new StatusSnapshotBuilder(p, s, parseServiceCards(readDataFile('service-cards.json', env.SERVICE_CARDS_FILE)), d),
        },
        GatewayRuntime,
      ],
    };
  }
}
