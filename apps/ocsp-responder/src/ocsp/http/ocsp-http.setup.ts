import { Logger, type OnModuleInit } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { OcspResponder } from '../application/ocsp-responder.js';
import { registerOcspRoutes, type OcspRouteOptions } from './ocsp.routes.js';

/** Puts the OCSP fast lane on the Node HTTP server, ahead of Fastify and Nest (see ocsp.routes.ts). */
export class OcspHttpSetup implements OnModuleInit {
  private readonly logger = new Logger('OcspHttp');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly responder: OcspResponder,
    private readonly options: Omit<OcspRouteOptions, 'onError'>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    registerOcspRoutes(fastify, this.responder, { ...this.options, onError: (err) => this.logger.error(err) });
  }
}
