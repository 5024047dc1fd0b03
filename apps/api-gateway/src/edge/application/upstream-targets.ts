import type { ApiGatewayEnv } from '../../config/api-gateway.env.js';
import { UPSTREAMS, type UpstreamName } from '../domain/route-table.js';
import { createUpstreamPool, type ProxyTarget } from '../http/upstream-proxy.js';

export function upstreamUrls(env: ApiGatewayEnv): Record<UpstreamName, string> {
  return {
    identity: env.UPSTREAM_IDENTITY_URL,
    'device-registry': env.UPSTREAM_DEVICE_REGISTRY_URL,
    karpoosheh: env.UPSTREAM_KARPOOSHEH_URL,
    'gsb-workflow': env.UPSTREAM_GSB_WORKFLOW_URL,
    'ocsp-responder': env.UPSTREAM_OCSP_RESPONDER_URL,
  };
}

/**
 * One keep-alive pool per upstream origin, shared by the /api routes, the GSB lane (catalog
 * entries pointing at the same origin reuse it) and closed at shutdown.
 */
export class UpstreamTargets {
  private readonly pools = new Map<string, ProxyTarget['pool']>();
  readonly apps: ReadonlyMap<UpstreamName, ProxyTarget>;

  constructor(
    readonly urls: Record<UpstreamName, string>,
    private readonly connections: number,
  ) {
    this.apps = new Map(UPSTREAMS.map((name) => [name, this.target(name, urls[name])]));
  }

  /** A target for `url` (origin + optional base path), its pool shared per origin. */
  target(name: string, url: string): ProxyTarget {
    const parsed = new URL(url);
    let pool = this.pools.get(parsed.origin);
    if (!pool) {
      pool = createUpstreamPool(parsed.origin, this.connections);
      this.pools.set(parsed.origin, pool);
    }
    return { name, pool, basePath: parsed.pathname.replace(/\/+$/, '') };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close().catch(() => p.destroy())));
  }
}
