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
