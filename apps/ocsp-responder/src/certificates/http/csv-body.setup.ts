import type { OnModuleInit } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** Bulk imports stream through csv-parse: Fastify hands the raw `text/csv` request stream to the controller. */
export class CsvBodySetup implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (!fastify.hasContentTypeParser('text/csv')) {
      fastify.addContentTypeParser('text/csv', { bodyLimit: 256 * 1024 * 1024 }, (_req, payload, done) => done(null, payload));
    }
  }
}
