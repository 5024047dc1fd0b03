import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@darvazeh/auth';
import { MetricsRegistry } from './metrics-registry.js';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

// Public like the health probes: Prometheus scrapes inside the cluster without tokens, and the
// gateway does not route /metrics to the outside.
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  async scrape(@Res() reply: ReplyLike): Promise<void> {
    reply.header('content-type', this.metrics.contentType).send(await this.metrics.metrics());
  }
}
