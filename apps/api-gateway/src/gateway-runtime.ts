import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { EdgeHandler } from './edge/http/edge.handler.js';
import { UpstreamTargets } from './edge/application/upstream-targets.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts the edge in front of Fastify on the Node server: proxied and GSB requests never enter
 * Fastify's router or the platform's per-request hooks (the gateway records its own metrics);
 * everything the edge passes on (status page, exchange log, health, metrics) is served by Nest.
 */
@Injectable()
export class GatewayRuntime implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly edge: EdgeHandler,
    private readonly targets: UpstreamTargets,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    installFastLane(fastify.server, (req, res) => this.edge.handle(req, res));
  }

  async onModuleDestroy(): Promise<void> {
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
