import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeContext, Lane } from '../edge/http/edge.handler.js';
import type { UpstreamName } from '../edge/domain/route-table.js';

type Json = Record<string, unknown>;

// The GSB exchange is served by the fast lane, not by a Nest controller, so Swagger cannot see it.
const GSB_EXCHANGE_PARAMETERS = [
  { name: 'serviceCode', in: 'path', required: true, schema: { type: 'string' }, description: 'catalog service code, e.g. hamta.imei-status' },
  { name: 'path', in: 'path', required: true, schema: { type: 'string' }, description: "the rest of the path, forwarded to the provider's service" },
  { name: 'X-GSB-Environment', in: 'header', required: false, schema: { type: 'string', enum: ['GSB', 'PGSB'], default: 'GSB' } },
];
const GSB_EXCHANGE_RESPONSES = {
  default: { description: "The provider's answer, streamed" },
  '403': { description: 'GSB.ACCESS_DENIED (no active grant) or GSB.AGENCY_TOKEN_REQUIRED', content: { 'application/problem+json': {} } },
  '404': { description: 'GSB.SERVICE_NOT_FOUND', content: { 'application/problem+json': {} } },
  '429': { description: 'GSB.QUOTA_EXCEEDED, with Retry-After and RateLimit-*', content: { 'application/problem+json': {} } },
  '502': { description: 'GATEWAY.UPSTREAM_UNAVAILABLE', content: { 'application/problem+json': {} } },
  '503': { description: 'GSB.SERVICE_UNAVAILABLE (suspended)', content: { 'application/problem+json': {} } },
  '504': { description: 'GATEWAY.UPSTREAM_TIMEOUT', content: { 'application/problem+json': {} } },
};
const GSB_EXCHANGE_PATHS: Json = {
  '/gsb/{serviceCode}/{path}': Object.fromEntries(
    (['get', 'post', 'put', 'patch', 'delete'] as const).map((method) => [
      method,
      {
        tags: ['gsb'],
        summary: `Call a GSB service (${method.toUpperCase()}) under an active grant`,
        description:
          "Forwarded to the provider only under an ACTIVE grant of the caller's agency for this service and environment, within its quotas; every call, allowed or refused, is a row of the exchange log.",
        security: [{ bearer: [] }],
        parameters: GSB_EXCHANGE_PARAMETERS,
        responses: GSB_EXCHANGE_RESPONSES,
      },
    ]),
  ),
};

const CACHE_MS = 30_000;

/**
 * `GET /docs/openapi.json` of the gateway (and so its Swagger UI at `/docs`): one document with
 * every app's paths as seen through the gateway (`/api/<app>/...`) beside the gateway's own
 * (`/gsb/...`, `/status`). Each app's document is read from its `/docs/openapi.json`; component
 * schemas are renamed `<app>.<Name>` (with every `$ref`) so apps cannot clash. An app that does
 * not answer is listed in `x-unavailable` and left out until it does. Cached for 30 s. The
 * gateway's own part is read over loopback from Fastify (`?gateway-only`).
 */
export class MergedOpenApiLane implements Lane {
  private cached: { at: number; body: string } | null = null;

  constructor(
    private readonly urls: Record<UpstreamName, string>,
  ) {}

  /** `?gateway-only` is left to Fastify: the gateway's own document, which the merge starts from. */
  handles(url: string): boolean {
    return url === '/docs/openapi.json';
  }

  serve(req: IncomingMessage, res: ServerResponse, _edge: EdgeContext): void {
    const host = req.socket.localAddress?.includes(':') ? `[${req.socket.localAddress}]` : req.socket.localAddress;
    const own = async () => (await (await fetch(`http://${host}:${req.socket.localPort}/docs/openapi.json?gateway-only`)).json()) as Json;
    void this.body(own).then(
      (body) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
        res.end(body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'urn:darvazeh:problem:INTERNAL', title: 'Internal Server Error', status: 500, code: 'INTERNAL', detail: 'The merged document could not be built.', instance: '/docs/openapi.json' }));
      },
    );
  }

  private async body(ownDocument: () => Promise<Json>): Promise<string> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.body;
    const own = await ownDocument();
    const merged: Json = { ...own, info: { title: 'Darvazeh — every service through the gateway', version: '1' }, paths: { ...(own.paths as Json), ...GSB_EXCHANGE_PATHS } };
    const schemas: Json = { ...((own.components as Json | undefined)?.schemas as Json | undefined) };
    const unavailable: string[] = [];
    await Promise.all(
      (Object.entries(this.urls) as [UpstreamName, string][]).map(async ([app, base]) => {
        try {
          const res = await fetch(`${base}/docs/openapi.json`, { signal: AbortSignal.timeout(2_000) });
          if (!res.ok) throw new Error(String(res.status));
          const doc = (await res.json()) as Json;
          const rename = (value: unknown): unknown => {
            if (Array.isArray(value)) return value.map(rename);
            if (value && typeof value === 'object') {
              const out: Json = {};
              for (const [k, v] of Object.entries(value as Json)) {
                out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `#/components/schemas/${app}.`) : k === 'tags' && Array.isArray(v) ? v.map((t) => `${app}: ${String(t)}`) : rename(v);
              }
              return out;
            }
            return value;
          };
          for (const [path, item] of Object.entries((doc.paths as Json | undefined) ?? {})) (merged.paths as Json)[`/api/${app}${path}`] = rename(item);
          for (const [name, schema] of Object.entries(((doc.components as Json | undefined)?.schemas as Json | undefined) ?? {})) schemas[`${app}.${name}`] = rename(schema);
        } catch {
          unavailable.push(app);
        }
      }),
    );
    merged.components = { ...((own.components as Json | undefined) ?? {}), schemas };
    merged['x-unavailable'] = unavailable.sort();
    const body = JSON.stringify(merged);
    if (unavailable.length === 0) this.cached = { at: Date.now(), body };
    return body;
  }
}
