import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import pg from 'pg';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { ServiceEnv } from '@darvazeh/config';
import { PlatformModule } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { startTestService, type TestService } from './test-service.js';
import { uniqueTopic } from './kafka.js';

@Controller('whoami')
class WhoAmIController {
  @Get()
  @Roles('agency')
  whoami(@CurrentPrincipal() principal: Principal): { subject: string; agencyId?: string } {
    return { subject: principal.subject, agencyId: principal.agencyId };
  }
}

const topic = uniqueTopic('testing.probe');

@Module({})
class ProbeAppModule {
  static forEnv(env: ServiceEnv): DynamicModule {
    return {
      module: ProbeAppModule,
      imports: [PlatformModule.forService({ service: 'probe', env, entities: [], migrations: [...messagingMigrations], topics: [topic] })],
      controllers: [WhoAmIController],
    };
  }
}

// startTestService boots a whole app like main.ts does: real HTTP, a fresh database with its
// migrations run, the real Kafka broker, and tokens from a TestIssuer.
describe('startTestService', () => {
  let svc: TestService<ServiceEnv>;
  beforeAll(async () => {
    svc = await startTestService({ service: 'probe', envClass: ServiceEnv, module: (env) => ProbeAppModule.forEnv(env) });
  }, 90_000);
  afterAll(() => svc?.close());

  it('serves over real HTTP on a loopback port and reports ready (database and Kafka)', async () => {
    expect(svc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const live = await fetch(`${svc.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${svc.url}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('ran the migrations in its own fresh test database', async () => {
    expect(svc.db.name).toMatch(/^darvazeh_test_probe_/);
    const client = new pg.Client({ connectionString: svc.db.url });
    await client.connect();
    try {
      const { rows } = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['outbox', 'processed_events']));
    } finally {
      await client.end();
    }
  });

  it('trusts tokens of its TestIssuer and nothing else', async () => {
    const call = (token?: string) =>
      fetch(`${svc.url}/whoami`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await call()).status).toBe(401);
    expect((await call(await svc.issuer.mintForeignToken({ sub: 'a-1', roles: ['agency'] }))).status).toBe(401);
    expect((await call(await svc.issuer.mintToken({ sub: 'c-1', roles: ['citizen'] }))).status).toBe(403);
    const ok = await call(await svc.issuer.mintToken({ sub: 'a-1', roles: ['agency'], agency_id: 'a-1' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: 'a-1', agencyId: 'a-1' });
  });

  it('restarts on the same database: what was stored survives, the old instance is closed, the new one serves', async () => {
    const client = new pg.Client({ connectionString: svc.db.url });
    await client.connect();
    try {
      await client.query('create table restart_probe (n int)');
      await client.query('insert into restart_probe values (42)');
    } finally {
      await client.end();
    }
    const old = svc.app;
    await svc.restart();
    expect(svc.app).not.toBe(old);
    expect((old.getHttpServer() as { listening: boolean }).listening).toBe(false);
    expect((await fetch(`${svc.url}/health/ready`)).status).toBe(200);
    const again = new pg.Client({ connectionString: svc.db.url });
    await again.connect();
    try {
      expect((await again.query('select n from restart_probe')).rows).toEqual([{ n: 42 }]);
    } finally {
      await again.end();
    }
  });
});
