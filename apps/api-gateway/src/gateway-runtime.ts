import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ApiGatewayEnv } from './config/api-gateway.env.js';
import { readDataFile } from './config/data-file.js';
import { EdgeHandler } from './edge/http/edge.handler.js';
import { UpstreamTargets } from './edge/application/upstream-targets.js';
import { GsbLane } from './gsb/http/gsb.lane.js';
import { GsbDirectory } from './gsb/application/gsb-directory.js';
import { GsbProjectionRepository } from './gsb/domain/gsb-projection.repository.js';
import { SigningKeyRepository } from './gsb/domain/signing-key.repository.js';
import { ApplyServiceChangeUseCase } from './gsb/application/apply-projection.use-cases.js';
import { parseGsbSeed } from './gsb/application/gsb-seed.js';
import { ExchangeLogWriter } from './gsb/application/exchange-log.writer.js';
import { ExchangeEvidencePublisher } from './gsb/application/chain-head.publisher.js';
import { GatewayKeyHolder } from './gsb/application/gateway-key.holder.js';
import { loadGatewaySigningKey } from './gsb/application/gateway-signing-key.js';
import { UpstreamPoller } from './status/application/upstream-poller.js';
import { ExchangeLogQueries } from './gsb/application/exchange-log.queries.js';
import { GsbMetrics } from './gsb/application/gsb-metrics.js';
import { MergedOpenApiLane } from './docs/merged-openapi.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts the edge in front of Fastify on the Node server: proxied and GSB requests never enter
 * Fastify's router or the platform's per-request hooks (the gateway records its own metrics);
 * everything the edge passes on (status page, exchange log, health, metrics) is served by Nest.
 * At boot: the seeded catalog entries, then the durable GSB projection into memory, the
 * chain-head key, the exchange-log writer and the evidence publisher. At shutdown (also on
 * SIGTERM, through Nest's shutdown hooks) the queued exchange-log rows are written.
 */
@Injectable()
export class GatewayRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GatewayRuntime');

  constructor(
    private readonly env: ApiGatewayEnv,
    private readonly adapterHost: HttpAdapterHost,
    private readonly edge: EdgeHandler,
    private readonly targets: UpstreamTargets,
    private readonly gsbLane: GsbLane,
    private readonly directory: GsbDirectory,
    private readonly projection: GsbProjectionRepository,
    private readonly services: ApplyServiceChangeUseCase,
    private readonly signingKeys: SigningKeyRepository,
    private readonly writer: ExchangeLogWriter,
    private readonly evidence: ExchangeEvidencePublisher,
    private readonly keys: GatewayKeyHolder,
    private readonly poller: UpstreamPoller,
    private readonly queries: ExchangeLogQueries,
    private readonly gsbMetrics: GsbMetrics,
  ) {}

  private verifyTimer: NodeJS.Timeout | null = null;

  onModuleInit(): void {
    this.edge.addLane(this.gsbLane);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    this.edge.addLane(new MergedOpenApiLane(this.targets.urls));
    installFastLane(fastify.server, (req, res) => this.edge.handle(req, res));
  }

  async onApplicationBootstrap(): Promise<void> {
    const seed = parseGsbSeed(readDataFile('gsb-seed.json', this.env.GSB_SEED_FILE), this.targets.urls);
    for (const entry of seed) await this.services.store(entry, new Date(0));
    for (const entry of await this.projection.allServices()) this.directory.putService(entry);
    for (const grant of await this.projection.allGrants()) this.directory.putGrant(grant);
    this.keys.set(await loadGatewaySigningKey(this.signingKeys, this.env.GATEWAY_SIGNING_KEY_PEM));
    this.writer.start();
    this.evidence.start(this.env.CHAIN_HEAD_INTERVAL_SECONDS * 1000, this.env.USAGE_SUMMARY_INTERVAL_SECONDS * 1000);
    this.poller.start();
    // The chain is re-verified as often as heads are signed; the alert rule watches the gauge.
    this.verifyTimer = setInterval(() => void this.verifyChain(), this.env.CHAIN_HEAD_INTERVAL_SECONDS * 1000);
    this.verifyTimer.unref();
    void this.verifyChain();
    this.logger.log(`GSB: ${this.directory.allServices().length} catalog entries, ${this.directory.grantCount} grants`);
  }

  private async verifyChain(): Promise<void> {
    try {
      const result = await this.queries.verify();
      this.gsbMetrics.chainVerified(result.ok);
      if (!result.ok) this.logger.error(`exchange-log chain broken: ${result.firstBroken?.detail}`);
    } catch (err) {
      this.logger.error(`exchange-log verification failed: ${String(err)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.evidence.stop();
    if (this.verifyTimer) clearInterval(this.verifyTimer);
    this.poller.stop();
    await this.writer.close();
    await this.targets.close();
  }
}

function installFastLane(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (handler(req, res)) return;
    for (const listener of others) listener.call(server, req, res);
  });
}
