import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'] as const;
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'application/javascript; charset=utf-8' };

let assetDir: string | undefined;
function swaggerUiDir(): string {
  assetDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return assetDir;
}

function page(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;
}

/**
 * OpenAPI document at /docs/openapi.json and Swagger UI at /docs. The UI assets are served by
 * plain routes instead of SwaggerModule's @fastify/static: that package require()s an ESM-only
 * dependency, which Jest's ESM runtime on Node 20 cannot load, and every e2e test boots this.
 */
export function setupDocs(app: NestFastifyApplication, service: string): void {
  const title = `Darvazeh ${service}`;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(title).setVersion('1').addBearerAuth().build(),
  );
  addMissingSummaries(document as unknown as Parameters<typeof addMissingSummaries>[0]);
  dropUnreferencedSchemas(document as unknown as Parameters<typeof dropUnreferencedSchemas>[0]);
  SwaggerModule.setup('docs', app, document, { ui: false, raw: ['json'], jsonDocumentUrl: 'docs/openapi.json' });
  const fastify = app.getHttpAdapter().getInstance();
  const html = page(title);
  fastify.get('/docs', (_req, reply) => {
    void reply.type('text/html; charset=utf-8').send(html);
  });
  for (const asset of ASSETS) {
    fastify.get(`/docs/${asset}`, (_req, reply) => {
      const body = readFileSync(join(swaggerUiDir(), asset));
      void reply
        .type(TYPES[asset.split('.').pop()!])
        .header('cache-control', 'public, max-age=86400')
        .send(body);
    });
  }
}

/**
 * Every operation gets a summary: routes without `@ApiOperation({ summary })` get one from their
 * method and path (`POST /principals/{id}/disable` → "Disable principal"), so Swagger's list is
 * readable in every service; hand-written summaries win.
 */
export function addMissingSummaries(document: { paths: Record<string, Record<string, { summary?: string }>> }): void {
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (typeof operation !== 'object' || operation === null || operation.summary) continue;
      operation.summary = summaryOf(method, path);
    }
  }
}

function summaryOf(method: string, path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0);
  const isParam = (p: string | undefined) => p !== undefined && p.startsWith('{');
  const human = (p: string) => p.replace(/[-_.]/g, ' ');
  const singular = (w: string) => w.replace(/ies$/, 'y').replace(/s$/, '');
  const verb = method.toUpperCase();
  const last = parts.at(-1);
  if (last === undefined) return `${verb} /`;
  if (isParam(last)) {
    const noun = singular(human(parts.at(-2) ?? 'item'));
    return `${{ GET: 'Get', PUT: 'Replace', PATCH: 'Update', DELETE: 'Delete', POST: 'Act on' }[verb] ?? verb} one ${noun}`;
  }
  if (isParam(parts.at(-2)) && verb === 'POST') {
    // An action on one resource: POST /principals/{id}/disable → "Disable principal".
    const action = human(last);
    return `${action[0]!.toUpperCase()}${action.slice(1)} (${singular(human(parts.at(-3) ?? 'item'))})`;
  }
  const noun = human(last);
  return `${{ GET: 'List', POST: 'Create', PUT: 'Replace', PATCH: 'Update', DELETE: 'Delete' }[verb] ?? verb} ${noun}`;
}

/**
 * Swagger also collects the classes of `@Payload()` parameters of event consumers (controllers
 * without HTTP routes) and of values it cannot type (`Function`), and lists them as empty schemas.
 * Only schemas an operation refers to, directly or through another schema, are kept.
 */
export function dropUnreferencedSchemas(document: { paths: object; components?: { schemas?: Record<string, unknown> } }): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const refsIn = (value: unknown) => [...JSON.stringify(value).matchAll(/#\/components\/schemas\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
  const keep = new Set<string>();
  const queue = refsIn(document.paths);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (keep.has(name)) continue;
    keep.add(name);
    queue.push(...refsIn(schemas[name] ?? {}));
  }
  for (const name of Object.keys(schemas)) if (!keep.has(name)) delete schemas[name];
}
