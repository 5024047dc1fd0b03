import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '@darvazeh/auth';
import { HEALTH_PROBES, type HealthProbe } from './health-probe.js';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[] = [],
  ) {}

  /** Liveness: the process answers. Never checks dependencies, so a database outage does not restart pods. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: database and bus answer; 503 takes the pod out of the load balancer. */
  @Get('ready')
  async ready(@Res() reply: ReplyLike): Promise<void> {
    const checks = this.probes.map(
      (probe) => async (): Promise<HealthIndicatorResult> =>
        await this.indicators
          .check(probe.name)
          .attempt(async () => {
            if (!(await probe.check())) throw new Error(`${probe.name} is not healthy`);
          })
          .withTimeout(3000),
    );
    try {
      const result = await this.health.check(checks);
      reply.status(200).header('content-type', 'application/json').send(result);
    } catch (error) {
      const body = (error as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' };
      reply.status(503).header('content-type', 'application/json').send(body);
    }
  }
}
