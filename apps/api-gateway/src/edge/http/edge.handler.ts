import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '@darvazeh/auth';
import { ensureRequestId } from '@darvazeh/observability';
import { rolesAllow, type RouteTable, type RouteRule } from '../domain/route-table.js';
import { headerBytes, unsafeTargetReason } from '../domain/request-target.js';
import type { EdgeAuthenticator, EdgeAuthOutcome } from '../application/edge-authenticator.js';
import { rateLimitHeaders, type EdgeRateLimits } from '../application/edge-rate-limits.js';
import type { EdgeMetrics } from '../application/edge-metrics.js';
import { writeProblem } from './edge-problem.js';
import { proxyRequest, type ProxyTarget } from './upstream-proxy.js';

export interface EdgeSettings {
  maxHeaderBytes: number;
  bodyLimitBytes: number;
  bulkBodyLimitBytes: number;
  timeoutMs: number;
  bulkTimeoutMs: number;
  retries: number;
  ratePerMinute: number;
  corsOrigins: readonly string[];
}

/** A lane of the fast path after the edge checks: `/api/...` proxying, `/gsb/...` exchange. */
export interface Lane {
  /** Whether this lane serves the (already safe) target. */
  handles(url: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, edge: EdgeContext): void;
}

/** What every lane gets from the edge: authentication, rate limits, problem writing. */
export interface EdgeContext {
  authenticate(req: IncomingMessage): Promise<EdgeAuthOutcome>;
  /** Writes the 401/403 of a failed authentication; returns false. */
  refuseAuth(req: IncomingMessage, res: ServerResponse, outcome: Exclude<EdgeAuthOutcome, { ok: true }>): false;
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'same-site',
};
const SECURITY_HEADER_ENTRIES = Object.entries(SECURITY_HEADERS);
const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const CORS_HEADERS = 'authorization, content-type, x-request-id, traceparent, x-gsb-environment, idempotency-key';

/**
 * The edge in front of Fastify: every request gets security headers, the request-header size
 * and traversal checks and CORS; `/api/<app>/...` is proxied here (JWT, roles, rate limit,
 * streaming through undici), `/gsb/<service>/...` goes to the GSB lane; anything else (status
 * page, exchange log, health, metrics) continues to Fastify and Nest.
 */
export class EdgeHandler implements EdgeContext {
  private readonly lanes: Lane[] = [];

  constructor(
    private readonly routes: RouteTable,
    private readonly targets: ReadonlyMap<string, ProxyTarget>,
    private readonly authenticator: EdgeAuthenticator,
    private readonly rateLimits: EdgeRateLimits,
    private readonly metrics: EdgeMetrics,
    private readonly settings: EdgeSettings,
    private readonly onError: (err: unknown) => void,
  ) {}

  addLane(lane: Lane): void {
    this.lanes.push(lane);
  }

  /** Returns false to pass the request on to Fastify. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    for (const [name, value] of SECURITY_HEADER_ENTRIES) res.setHeader(name, value);
    const url = req.url ?? '/';
    if (headerBytes(req.rawHeaders) > this.settings.maxHeaderBytes) {
      this.metrics.refusal('headers_too_large');
      writeProblem(req, res, {
        status: 431,
        code: 'GATEWAY.HEADERS_TOO_LARGE',
        detail: `The request headers together exceed ${this.settings.maxHeaderBytes} bytes.`,
      });
      return true;
    }
    const unsafe = unsafeTargetReason(url, { opaque: url.startsWith('/api/ocsp-responder/ocsp/') });
    if (unsafe) {
      this.metrics.refusal('bad_target');
      writeProblem(req, res, { status: 400, code: 'GATEWAY.PATH_INVALID', detail: `The request path was refused: ${unsafe}.` });
      return true;
    }
    if (!this.cors(req, res)) return true;
    const lane = this.lanes.find((l) => l.handles(url));
    if (lane) {
      lane.serve(req, res, this);
      return true;
    }
    if (!url.startsWith('/api/')) return false;
    ensureRequestId(req, res);
    const matched = this.routes.match(req.method ?? 'GET', url);
    if (!matched) {
      writeProblem(req, res, { status: 404, code: 'GATEWAY.ROUTE_NOT_FOUND', detail: 'No service is served under this path.', hint: 'Paths look like /api/<app>/..., app one of identity, device-registry, karpoosheh, gsb-workflow, ocsp-responder.' });
      req.resume();
      return true;
    }
    this.proxy(req, res, matched.rule, matched.upstreamPath).catch((err: unknown) => {
      this.onError(err);
      writeProblem(req, res, { status: 500, code: 'INTERNAL', detail: 'The gateway failed to handle this request.' });
    });
    return true;
  }

  authenticate(req: IncomingMessage): Promise<EdgeAuthOutcome> {
    const header = req.headers.authorization;
    return this.authenticator.authenticate(header);
  }

  refuseAuth(req: IncomingMessage, res: ServerResponse, outcome: Exclude<EdgeAuthOutcome, { ok: true }>): false {
    if (outcome.reason === 'revoked') {
      this.metrics.refusal('revoked');
      writeProblem(req, res, { status: 403, code: 'AUTH.PRINCIPAL_DISABLED', detail: outcome.detail });
    } else if (outcome.reason === 'missing') {
      this.metrics.refusal('unauthenticated');
      writeProblem(req, res, {
        status: 401,
        code: 'AUTH.TOKEN_MISSING',
        detail: 'This route needs a bearer access token.',
        hint: 'Send "Authorization: Bearer <token>"; get a token from POST /api/identity/oauth/token.',
        headers: { 'www-authenticate': 'Bearer' },
      });
    } else {
      this.metrics.refusal('unauthenticated');
      writeProblem(req, res, {
        status: 401,
        code: 'AUTH.TOKEN_INVALID',
        detail: `The access token was rejected: ${outcome.detail}.`,
        hint: 'Get a new token and retry.',
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    return false;
  }

  private async proxy(req: IncomingMessage, res: ServerResponse, rule: RouteRule, upstreamPath: string): Promise<void> {
    const started = performance.now();
    const limit = rule.bulk ? this.settings.bulkBodyLimitBytes : this.settings.bodyLimitBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      this.metrics.refusal('body_too_large');
      writeProblem(req, res, { status: 413, code: 'GATEWAY.BODY_TOO_LARGE', detail: `This route accepts bodies of at most ${limit} bytes.` });
      return;
    }
    let principal: Principal | undefined;
    if (rule.access.kind !== 'public') {
      const outcome = await this.authenticate(req);
      if (!outcome.ok) {
        this.refuseAuth(req, res, outcome);
        return;
      }
      principal = outcome.principal;
      if (!rolesAllow(rule.access, principal.roles)) {
        this.metrics.refusal('forbidden');
        const needed = rule.access.kind === 'roles' ? rule.access.roles.join(', ') : '';
        writeProblem(req, res, { status: 403, code: 'AUTH.FORBIDDEN', detail: `This route needs one of the roles: ${needed}.` });
        return;
      }
    }
    const caller = principal ? `p:${principal.subject}` : `ip:${req.socket.remoteAddress ?? '-'}`;
    const verdict = await this.rateLimits.take(rule.group, this.settings.ratePerMinute, 60, caller);
    const headers = rateLimitHeaders(verdict);
    if (!verdict.allowed) {
      this.metrics.refusal('rate_limited');
      writeProblem(req, res, {
        status: 429,
        code: 'GATEWAY.RATE_LIMITED',
        detail: `More than ${verdict.limit} requests per minute to this route group.`,
        hint: `Retry after ${verdict.retryAfterSeconds} s.`,
        headers: { ...headers, 'retry-after': verdict.retryAfterSeconds },
      });
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const target = this.targets.get(rule.upstream)!;
    const outcome = await proxyRequest(req, res, target, upstreamPath, {
      timeoutMs: rule.bulk ? this.settings.bulkTimeoutMs : this.settings.timeoutMs,
      bodyLimitBytes: limit,
      retries: this.settings.retries,
    });
    if (outcome.gatewayError !== 'aborted') this.metrics.upstream(rule.upstream, outcome.status, performance.now() - started);
  }

  /** Sets CORS fields for allowed origins; answers preflights. False when the request is done. */
  private cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const allowed = this.settings.corsOrigins.includes(origin);
    if (allowed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'x-request-id, ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after');
    }
    res.setHeader('vary', 'Origin');
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return true;
    if (!allowed) {
      writeProblem(req, res, { status: 403, code: 'GATEWAY.CORS_ORIGIN_REFUSED', detail: `The origin ${origin} may not call this gateway from a browser.` });
      return false;
    }
    res.writeHead(204, {
      'access-control-allow-methods': CORS_METHODS,
      'access-control-allow-headers': CORS_HEADERS,
      'access-control-max-age': '600',
    });
    res.end();
    return false;
  }
}
