import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Logger, Module, Post, Query, Req, type DynamicModule } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';
import pg from 'pg';
import { Public } from '@darvazeh/auth';
import { InvalidConfigError, ServiceEnv } from '@darvazeh/config';
import { DomainError } from '@darvazeh/core';
import { messagingMigrations } from '@darvazeh/messaging';
import { CursorQueryDto, PlatformModule, startService, type RunningService } from '@darvazeh/http';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

class DeviceNotFoundError extends DomainError {
  readonly code = 'HAMTA.DEVICE_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

class LimitExceededError extends DomainError {
  readonly code = 'HAMTA.LIMIT_EXCEEDED';
  readonly kind = 'rule_violation' as const;
}

class DeviceDto {
  @Matches(/^\d{15}$/, { message: 'imei must be 15 digits' })
  imei!: string;
}

class RegisterRequestDto {
  @IsString()
  @Length(2, 50)
  owner!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  count!: number;

  @ValidateNested({ each: true })
  @ArrayMaxSize(3)
  @Type(() => DeviceDto)
  devices!: DeviceDto[];
}

@Public()
@Controller('t')
class ProbeController {
  @Get('missing')
  missing(): never {
    throw new DeviceNotFoundError('Device 123 is not registered.', { hint: 'Register it first.' });
  }

  @Get('rule')
  rule(): never {
    throw new LimitExceededError('Owner already has 10 devices.');
  }

  @Get('crash')
  crash(): never {
    throw new Error('connection to 10.0.0.7 failed: password authentication failed for user "hamta"');
  }

  @Post('register')
  register(@Body() body: RegisterRequestDto): { ok: true; owner: string; isDto: boolean } {
    return { ok: true, owner: body.owner, isDto: body instanceof RegisterRequestDto };
  }

  /** Logs through Nest's static Logger, as most of our classes do. */
  @Get('log')
  log(): { ok: true } {
    new Logger('Probe').warn('probe log line');
    return { ok: true };
  }

  @Get('ip')
  ip(@Req() req: FastifyRequest): { ip: string } {
    return { ip: req.ip };
  }

  @Get('list')
  list(@Query() query: CursorQueryDto): { limit: number | undefined } {
    return { limit: query.limit };
  }
}

@Controller('private')
class PrivateController {
  @Get()
  secret(): { secret: true } {
    return { secret: true };
  }
}

@Module({ controllers: [ProbeController, PrivateController] })
class ProbeFeatureModule {}

describe('http platform: problem+json for every failure', () => {
  const dbName = `platform_http_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  const logLines: string[] = [];
  let service: RunningService;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database "${dbName}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    service = await startProbe(url.toString());
  });

  async function startProbe(databaseUrl: string, extraEnv: Record<string, string> = {}, name = 'http-probe'): Promise<RunningService> {
    return startService({
      service: name,
      envClass: ServiceEnv,
      envSource: {
        ...extraEnv,
        DATABASE_URL: databaseUrl,
        JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
        JWT_ISSUER: 'http://issuer.test',
        JWT_AUDIENCE: 'darvazeh',
        BODY_LIMIT_BYTES: '2048',
        LOG_LEVEL: 'info',
      },
      port: 0,
      module: (env): DynamicModule => ({
        module: class ProbeAppModule {},
        imports: [
          PlatformModule.forService({
            service: name,
            env,
            entities: [],
            migrations: [...messagingMigrations],
            topics: [],
            logDestination: { write: (line: string) => void logLines.push(line) },
          }),
          ProbeFeatureModule,
        ],
      }),
    });
  }

  afterAll(async () => {
    await service?.close();
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  });

  async function call(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
    const res = await fetch(`${service.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : {} };
  }

  it('maps a not_found DomainError to 404 problem+json with its code, message and hint', async () => {
    const r = await call('/t/missing');
    expect(r.status).toBe(404);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({
      type: 'urn:darvazeh:problem:HAMTA.DEVICE_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      code: 'HAMTA.DEVICE_NOT_FOUND',
      detail: 'Device 123 is not registered.',
      hint: 'Register it first.',
      instance: '/t/missing',
    });
  });

  it('maps a rule_violation DomainError to 422', async () => {
    const r = await call('/t/rule');
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('HAMTA.LIMIT_EXCEEDED');
  });

  it('rejects a bad body with 400 REQUEST.INVALID naming every bad field, nested ones by path', async () => {
    const r = await call('/t/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owner: 'x', count: 'many', devices: [{ imei: '490154203237518' }, { imei: '12' }], extra: 1 }),
    });
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('REQUEST.INVALID');
    const fields = (r.body.errors as { field: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['owner', 'count', 'devices.1.imei', 'extra']));
    expect(fields).not.toContain('devices.0.imei');
    const imeiError = (r.body.errors as { field: string; message: string }[]).find((e) => e.field === 'devices.1.imei');
    expect(imeiError?.message).toBe('imei must be 15 digits');
  });

  it('accepts a valid body and hands the handler a DTO instance', async () => {
    const r = await call('/t/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owner: 'Sara', count: 2, devices: [{ imei: '490154203237518' }] }),
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ok: true, owner: 'Sara', isDto: true });
  });

  it('rejects a query limit outside 1..100', async () => {
    const bad = await call('/t/list?limit=500');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['limit']);
    const ok = await call('/t/list?limit=5');
    expect(ok.body).toEqual({ limit: 5 });
  });

  it('rejects a body over BODY_LIMIT_BYTES with 413 problem+json', async () => {
    const r = await call('/t/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owner: 'x'.repeat(5000), count: 1, devices: [] }),
    });
    expect(r.status).toBe(413);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('REQUEST.TOO_LARGE');
  });

  it('rejects an unsupported content type with 415 problem+json', async () => {
    const r = await call('/t/register', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(r.status).toBe(415);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects malformed JSON with 400 problem+json', async () => {
    const r = await call('/t/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"owner":' });
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/problem\+json/);
  });

  const post = (body: string, type = 'application/json') =>
    call('/t/register', { method: 'POST', headers: { 'content-type': type }, body });

  it('counts invalid fields, not messages, and says a missing field is required (not what it should have been)', async () => {
    const r = await post(JSON.stringify({ count: 'many' }));
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('The request has 3 invalid fields: owner, count, devices.');
    const errors = r.body.errors as { field: string; message: string }[];
    expect(errors.filter((e) => e.field === 'owner')).toEqual([{ field: 'owner', message: 'owner is required' }]);
    expect(errors.filter((e) => e.field === 'count').length).toBeGreaterThan(1);
  });

  it('refuses JSON nested deeper than the limit with 400, before parsing it (3,000 deep used to overflow the stack with a 500)', async () => {
    const deep = '['.repeat(900) + ']'.repeat(900); // within BODY_LIMIT_BYTES (2048) of this probe
    const r = await post(`{"owner":"Sara","count":1,"devices":[],"x":${deep}}`);
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('REQUEST.JSON_TOO_DEEP');
    // Brackets inside strings are not nesting.
    expect((await post(JSON.stringify({ owner: '['.repeat(40), count: 1, devices: [] }))).status).toBe(201);
  });

  it('refuses NUL characters and lone surrogates in any string with 400 naming the field (was 500 from PostgreSQL)', async () => {
    for (const owner of ['Sa\\u0000ra', 'Sa\\ud800ra', 'Sa\\udc00ra']) {
      const r = await post(`{"owner":"${owner}","count":1,"devices":[]}`);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('REQUEST.INVALID_CHARACTERS');
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'owner' })]);
    }
    const nested = await post('{"owner":"Sara","count":1,"devices":[{"imei":"4901542032375\\u00008"}]}');
    expect(nested.body.errors).toEqual([expect.objectContaining({ field: 'devices.0.imei' })]);
    // A real pair (an emoji) is fine.
    expect((await post(JSON.stringify({ owner: 'Sara \u{1F600}', count: 1, devices: [] }))).status).toBe(201);
  });

  it('still refuses __proto__ poisoning in JSON bodies', async () => {
    const r = await post('{"owner":"Sara","count":1,"devices":[],"__proto__":{"admin":true}}');
    expect(r.status).toBe(400);
  });

  it('answers a JSON route sent another content type with 415, not a 400 listing every field', async () => {
    const r = await post('owner=Sara', 'text/plain');
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(r.body.errors).toBeUndefined();
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const r = await call('/no/such/route');
    expect(r.status).toBe(404);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('HTTP.NOT_FOUND');
  });

  it('turns an unexpected error into 500 "internal error" without leaking it, and logs it with the request id', async () => {
    const res = await fetch(`${service.url}/t/crash`, { headers: { 'x-request-id': 'crash-req-1' } });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ status: 500, code: 'INTERNAL', detail: 'internal error', requestId: 'crash-req-1' });
    expect(text).not.toMatch(/10\.0\.0\.7|password|hamta|stack|at /);
    await new Promise((r) => setTimeout(r, 50));
    const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'crash-req-1' && l.msg === 'unhandled error');
    expect(logged?.err?.message).toContain('10.0.0.7');
  });

  it('requires a token on routes not marked @Public: 401 AUTH.TOKEN_MISSING problem+json', async () => {
    const r = await call('/private');
    expect(r.status).toBe(401);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('AUTH.TOKEN_MISSING');
  });

  it('reports readiness of database and bus at /health/ready without a token', async () => {
    const r = await call('/health/ready');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, bus: { status: 'up' } } });
    const live = await call('/health/live');
    expect(live.status).toBe(200);
  });

  it('ran the migrations at start (MIGRATE_ON_START defaults to true)', async () => {
    const db = new pg.Client({ connectionString: service.env.DATABASE_URL });
    await db.connect();
    try {
      const r = await db.query(`select name from migrations`);
      expect(r.rows.map((row: { name: string }) => row.name)).toContain('MessagingTables1000000000000');
    } finally {
      await db.end();
    }
  });

  it('refuses to start with a bad env, naming every bad variable', async () => {
    const start = startService({
      service: 'http-probe',
      envClass: ServiceEnv,
      envSource: { DATABASE_URL: 'nope', JWT_ISSUER: 'x', JWT_AUDIENCE: 'y', PORT: 'eighty', TRUST_PROXY: 'any proxy' },
      module: () => ({ module: class NeverBuilt {} }),
    });
    await expect(start).rejects.toThrow(InvalidConfigError);
    await expect(start).rejects.toThrow(/DATABASE_URL.*JWKS_URL|JWKS_URL.*DATABASE_URL/);
    await expect(start).rejects.toThrow(/PORT/);
    await expect(start).rejects.toThrow(/TRUST_PROXY/);
  });

  it('takes the client address from the socket, not from a X-Forwarded-For nobody vouches for', async () => {
    const r = await call('/t/ip', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(r.body.ip).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For from a proxy named in TRUST_PROXY', async () => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    const behindGateway = await startProbe(url.toString(), { TRUST_PROXY: 'loopback' });
    try {
      const res = await fetch(`${behindGateway.url}/t/ip`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(((await res.json()) as { ip: string }).ip).toBe('203.0.113.7');
    } finally {
      await behindGateway.close();
    }
  });

  it('with two services in one process, the runtime log lines carry its own service name', async () => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    const second = await startProbe(url.toString(), {}, 'http-probe-two');
    try {
      logLines.length = 0;
      await call('/t/log'); // the first service, started before the second
      await fetch(`${second.url}/t/log`);
      const lines = logLines.map((l) => JSON.parse(l) as { service: string; msg: string; context?: string }).filter((l) => l.msg === 'probe log line');
      expect(lines.map((l) => [l.service, l.context])).toEqual([
        ['http-probe', 'Probe'],
        ['http-probe-two', 'Probe'],
      ]);
    } finally {
      await second.close();
    }
  });

  it('serves the OpenAPI document at /docs', async () => {
    const json = await call('/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths as object)).toEqual(expect.arrayContaining(['/t/register', '/private']));
    const ui = await fetch(`${service.url}/docs`);
    expect(ui.status).toBe(200);
  });
});
