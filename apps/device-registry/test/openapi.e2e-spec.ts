import { startTestService, type TestService } from '@darvazeh/testing';
import { DeviceRegistryEnv } from '../src/config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE } from '../src/device-registry.module.js';

interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
type Paths = Record<string, Record<string, Operation>>;

/**
 * True when `summary` has the shape the platform's fallback gives a route without
 * `@ApiOperation({ summary })`: "List devices", "Get one device", "Accept (transfer)".
 */
function looksGenerated(method: string, path: string, summary: string): boolean {
  const parts = path.split('/').filter((p) => p.length > 0 && !p.startsWith('{'));
  const last = (parts.at(-1) ?? '').replace(/[-_.]/g, ' ');
  const lower = summary.toLowerCase();
  const generic = /^(List|Create|Replace|Update|Delete|Get one|Replace one|Update one|Delete one|Act on one) /.test(summary);
  return (generic && (lower.endsWith(last) || lower.endsWith(last.replace(/ies$/, 'y').replace(/s$/, '')) || lower.endsWith(' item')))
    || lower.startsWith(`${last} (`)
    || summary.startsWith(`${method.toUpperCase()} `);
}

/**
 * Issue 16: device-registry's OpenAPI document as served at /docs/openapi.json lists every route,
 * the raw Fastify `GET /eir/check` too, each with a written summary and the bearer security
 * Swagger's "Try it out" needs.
 */
describe('device-registry OpenAPI document', () => {
  let svc: TestService<DeviceRegistryEnv>;
  let paths: Paths;

  beforeAll(async () => {
    svc = await startTestService({ service: SERVICE, envClass: DeviceRegistryEnv, module: (env) => DeviceRegistryModule.register(env), label: 'hamta_openapi' });
    const res = await fetch(`${svc.url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    paths = ((await res.json()) as { paths: Paths }).paths;
  }, 60_000);
  afterAll(() => svc?.close(), 30_000);

  const operations = () => Object.entries(paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));

  it('documents the fast-lane GET /eir/check with its query parameters, answers and security', () => {
    const check = paths['/eir/check']?.get;
    expect(check).toBeDefined();
    expect(check.security).toEqual([{ bearer: [] }]);
    expect(check.parameters?.map((p) => [p.name, p.in, p.required ?? false])).toEqual([
      ['imei', 'query', true],
      ['imsi', 'query', false],
    ]);
    expect(Object.keys(check.responses ?? {}).sort()).toEqual(['200', '400', '401', '403']);
    expect(Object.keys(check.responses!['200'].content!)).toEqual(['application/json']);
    expect(Object.keys(check.responses!['401'].content!)).toEqual(['application/problem+json']);
    // The batch check shares the path and is still there.
    expect(paths['/eir/check'].post?.summary).toBeTruthy();
  });

  it('gives every operation a written summary (none left to the generated fallback) and bearer security', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const missing = ops.filter(({ route, op }) => !op.summary || looksGenerated(route.split(' ')[0], route.split(' ')[1], op.summary)).map(({ route, op }) => `${route}: ${op.summary ?? '(none)'}`);
    expect(missing).toEqual([]);
    expect(ops.filter(({ op }) => JSON.stringify(op.security) !== JSON.stringify([{ bearer: [] }])).map(({ route }) => route)).toEqual([]);
  });

  it('documents the black-list files as CSV and the day they cover', () => {
    expect(Object.keys(paths['/eir/blacklist'].get.responses!['200'].content!)).toEqual(['text/csv']);
    expect(paths['/eir/blacklist/changes'].get.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([['date', 'query', true]]);
  });

  it('still serves the fast lane itself (a check without a token is 401)', async () => {
    const res = await fetch(`${svc.url}/eir/check?imei=490154203237518`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
