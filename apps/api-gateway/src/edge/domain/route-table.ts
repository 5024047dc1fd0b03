import type { Role } from '@darvazeh/core';

// The apps behind the gateway, as they appear in `/api/<app>/...` (wire format for clients).
export const UPSTREAMS = ['identity', 'device-registry', 'karpoosheh', 'gsb-workflow', 'ocsp-responder'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

export function isUpstreamName(value: string): value is UpstreamName {
  return (UPSTREAMS as readonly string[]).includes(value);
}

/** Who may pass the edge: anyone, any valid token, or a token holding one of the roles. */
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: readonly Role[] };

export interface RouteRule {
  upstream: UpstreamName;
  /** Path prefix inside the app (after `/api/<app>`), matched on segment boundaries. */
  prefix: string;
  /** Methods this rule covers; absent: all. */
  methods?: readonly string[];
  access: Access;
  /** File uploads and other bulk transfers: the bulk body limit and timeout. */
  bulk?: boolean;
  /** Names the budget group in rate limits and metrics (bounded). */
  group: string;
}

export interface MatchedRoute {
  rule: RouteRule;
  /** Path (with query) to send upstream. */
  upstreamPath: string;
}

const PUBLIC = { kind: 'public' } as const;
const AUTHENTICATED = { kind: 'authenticated' } as const;
const roles = (...r: Role[]): Access => ({ kind: 'roles', roles: r });

/**
 * The edge's view of each app: which paths are public and which roles a path needs. Services
 * still verify tokens and roles themselves; the edge only keeps obvious strangers out early.
 * More specific prefixes come first within an app.
 */
export const DEFAULT_ROUTES: readonly RouteRule[] = [
  { upstream: 'identity', prefix: '/oauth/token', methods: ['POST'], access: PUBLIC, group: 'identity.token' },
  { upstream: 'identity', prefix: '/.well-known', methods: ['GET', 'HEAD'], access: PUBLIC, group: 'identity.discovery' },
  { upstream: 'identity', prefix: '/citizens/me', access: roles('citizen'), group: 'identity.citizens' },
  { upstream: 'identity', prefix: '/citizens', methods: ['POST'], access: PUBLIC, group: 'identity.citizens' },
  { upstream: 'identity', prefix: '/agencies/me', access: roles('agency'), group: 'identity.agencies' },
  { upstream: 'identity', prefix: '/agencies', access: roles('admin'), group: 'identity.admin' },
  { upstream: 'identity', prefix: '/principals', access: roles('admin'), group: 'identity.admin' },
  { upstream: 'identity', prefix: '/signing-keys', access: roles('admin'), group: 'identity.admin' },
  { upstream: 'device-registry', prefix: '/operators', access: roles('operator', 'admin'), bulk: true, group: 'hamta.operators' },
  { upstream: 'device-registry', prefix: '/eir', access: roles('operator'), group: 'hamta.eir' },
  { upstream: 'device-registry', prefix: '/admin', access: roles('admin'), group: 'hamta.admin' },
  { upstream: 'device-registry', prefix: '/devices', access: roles('citizen'), group: 'hamta.devices' },
  { upstream: 'karpoosheh', prefix: '/attachments', bulk: true, access: AUTHENTICATED, group: 'karpoosheh.attachments' },
  { upstream: 'ocsp-responder', prefix: '/ocsp', access: PUBLIC, group: 'ocsp.ocsp' },
  { upstream: 'ocsp-responder', prefix: '/crl', methods: ['GET', 'HEAD'], access: PUBLIC, group: 'ocsp.crl' },
  { upstream: 'ocsp-responder', prefix: '/admin', access: roles('ca'), bulk: true, group: 'ocsp.admin' },
  ...(['identity', 'device-registry', 'karpoosheh', 'gsb-workflow', 'ocsp-responder'] as const).flatMap((upstream) => [
    { upstream, prefix: '/health', methods: ['GET', 'HEAD'], access: PUBLIC, group: `${upstream}.health` },
    { upstream, prefix: '/docs', methods: ['GET', 'HEAD'], access: PUBLIC, group: `${upstream}.docs` },
  ]),
];

/** Every path of an app not named above: a valid token, roles left to the service. */
function fallback(upstream: UpstreamName): RouteRule {
  return { upstream, prefix: '/', access: AUTHENTICATED, group: `${upstream}.other` };
}

const FALLBACKS = new Map(UPSTREAMS.map((u) => [u, fallback(u)]));

export class RouteTable {
  private readonly byUpstream = new Map<UpstreamName, RouteRule[]>();

  constructor(rules: readonly RouteRule[] = DEFAULT_ROUTES) {
    for (const rule of rules) {
      const list = this.byUpstream.get(rule.upstream) ?? [];
      list.push(rule);
      this.byUpstream.set(rule.upstream, list);
    }
  }

  /**
   * `/api/<app>/<rest>` → the rule and the upstream path `/<rest>`; undefined when the path is not
   * under `/api/` or names no app. `url` is the raw request target (already checked for traversal).
   */
  match(method: string, url: string): MatchedRoute | undefined {
    if (!url.startsWith('/api/')) return undefined;
    const slash = url.indexOf('/', 5);
    const query = url.indexOf('?', 5);
    const end = slash === -1 ? (query === -1 ? url.length : query) : query !== -1 && query < slash ? query : slash;
    const app = url.slice(5, end);
    if (!isUpstreamName(app)) return undefined;
    let rest = url.slice(end);
    if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
    const path = rest.split('?', 1)[0];
    for (const rule of this.byUpstream.get(app) ?? []) {
      if (rule.methods && !rule.methods.includes(method)) continue;
      if (path === rule.prefix || path.startsWith(rule.prefix.endsWith('/') ? rule.prefix : `${rule.prefix}/`)) {
        return { rule, upstreamPath: rest };
      }
    }
    return { rule: FALLBACKS.get(app)!, upstreamPath: rest };
  }
}

/** Whether a principal with `principalRoles` passes `access` (public handled by the caller). */
export function rolesAllow(access: Access, principalRoles: readonly Role[]): boolean {
  if (access.kind !== 'roles') return true;
  return access.roles.some((r) => principalRoles.includes(r));
}
