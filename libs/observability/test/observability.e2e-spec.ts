import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Logger, Module, Param } from '@nestjs/common';
import { AuthModule, Public } from '@darvazeh/auth';
import { ConfigModule, ServiceEnv } from '@darvazeh/config';
import { startService, type RunningService } from '@darvazeh/http';
import { MetricsRegistry, ObservabilityModule, currentTraceparent } from '@darvazeh/observability';

@Public()
@Controller('items')
class ItemsController {
  private readonly logger = new Logger('ItemsController');

  @Get(':id')
  get(@Param('id') id: string): { id: string; traceparent: string | undefined } {
    this.logger.log(`looking up item ${id}`);
    return { id, traceparent: currentTraceparent() };
  }
}

@Module({ controllers: [ItemsController] })
class ItemsModule {}

function parse(lines: string[]): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('observability: request ids, traces, metrics', () => {
  const lines: string[] = [];
  let service: RunningService;

  beforeAll(async () => {
    service = await startService({
      service: 'obs-probe',
      envClass: ServiceEnv,
      envSource: {
        DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
        JWKS_URL: 'http://127.0.0.1:9/jwks.json',
        JWT_ISSUER: 'http://issuer.test',
        JWT_AUDIENCE: 'darvazeh',
      },
      port: 0,
      module: (env) => ({
        module: class ObsProbeApp {},
        imports: [
          ConfigModule.forService(env),
          ObservabilityModule.forService({
            service: 'obs-probe',
            logLevel: 'info',
            logDestination: { write: (line: string) => void lines.push(line) },
          }),
          AuthModule.forService({ jwksUrl: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE }),
          ItemsModule,
        ],
      }),
    });
  });

  afterAll(async () => {
    await service?.close();
  });

  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('echoes a caller-given x-request-id and logs the request under it', async () => {
    const res = await fetch(`${service.url}/items/1`, { headers: { 'x-request-id': 'req-abc-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    await settle();
    const access = parse(lines).find((l) => (l.req as { id?: string } | undefined)?.id === 'req-abc-123');
    expect(access).toMatchObject({ service: 'obs-probe', msg: 'request completed', res: { statusCode: 200 } });
  });

  it('generates a request id when none (or an unsafe one) is given', async () => {
    const res = await fetch(`${service.url}/items/2`, { headers: { 'x-request-id': 'bad id with spaces\tand tab' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('continues an incoming traceparent: the handler, its log lines and the access log carry the trace id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${service.url}/items/3`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'traced-1' },
    });
    const body = (await res.json()) as { traceparent: string };
    expect(body.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(body.traceparent).not.toContain('00f067aa0ba902b7');
    await settle();
    const all = parse(lines);
    const handlerLine = all.find((l) => l.msg === 'looking up item 3');
    expect(handlerLine).toMatchObject({ trace_id: traceId, context: 'ItemsController' });
    const access = all.find((l) => (l.req as { id?: string } | undefined)?.id === 'traced-1');
    expect(access?.trace_id).toBe(traceId);
  });

  it('starts a new trace when the request has none', async () => {
    const res = await fetch(`${service.url}/items/4`);
    const body = (await res.json()) as { traceparent: string };
    expect(body.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('exposes an HTTP duration histogram at /metrics labelled by route template, not raw URL', async () => {
    await fetch(`${service.url}/items/777`);
    await fetch(`${service.url}/nothing-here`);
    const res = await fetch(`${service.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="obs-probe",method="GET",route="\/items\/:id",status_code="200"\} [1-9]/,
    );
    expect(text).not.toContain('/items/777');
    expect(text).toMatch(/route="unmatched",status_code="404"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves /health/live and /health/ready without a token', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('keeps each service’s metrics in its own registry (embedded mode shares a process)', async () => {
    const a = new MetricsRegistry('svc-a');
    const b = new MetricsRegistry('svc-b');
    a.counter('things_total', 'things').inc();
    expect(await a.metrics()).toContain('things_total{service="svc-a"} 1');
    expect(await b.metrics()).not.toContain('things_total');
    expect(a.counter('things_total', 'things')).toBe(a.counter('things_total', 'things'));
  });
});
