import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isGsbEnvironment, isServiceCode } from '@darvazeh/core';
import { ensureRequestId } from '@darvazeh/observability';
import type { EdgeContext, Lane } from '../../edge/http/edge.handler.js';
import { writeProblem, type EdgeProblem } from '../../edge/http/edge-problem.js';
import { proxyRequest } from '../../edge/http/upstream-proxy.js';
import type { UpstreamTargets } from '../../edge/application/upstream-targets.js';
import { rateLimitHeaders, type EdgeRateLimits } from '../../edge/application/edge-rate-limits.js';
import type { EdgeMetrics } from '../../edge/application/edge-metrics.js';
import { decideAccess, type Grant } from '../domain/access-decision.js';
import type { GsbDirectory } from '../application/gsb-directory.js';
import type { ExchangeLogWriter, PendingExchange } from '../application/exchange-log.writer.js';
import type { GsbMetrics } from '../application/gsb-metrics.js';

export const GSB_ENVIRONMENT_HEADER = 'x-gsb-environment';
const EMPTY_SHA256 = createHash('sha256').digest('hex');
const TEHRAN_OFFSET_MS = 3.5 * 3_600_000;

export interface GsbLaneSettings {
  timeoutMs: number;
  bodyLimitBytes: number;
  retries: number;
}

/**
 * `ANY /gsb/{serviceCode}/{path...}`: an agency token, then deny by default — forwarded only
 * under an ACTIVE grant of the caller's agency for that service on the environment named by
 * `X-GSB-Environment` (GSB or PGSB, default GSB), within the grant's per-minute and per-day
 * quotas. Every call, allowed or refused, becomes one exchange-log row (with SHA-256 of both
 * bodies, hashed as they stream), written behind the response by the single writer.
 */
export class GsbLane implements Lane {
  constructor(
    private readonly directory: GsbDirectory,
    private readonly targets: UpstreamTargets,
    private readonly rateLimits: EdgeRateLimits,
    private readonly log: ExchangeLogWriter,
    private readonly metrics: GsbMetrics,
    private readonly edgeMetrics: EdgeMetrics,
    private readonly settings: GsbLaneSettings,
    private readonly onError: (err: unknown) => void,
  ) {}

  handles(url: string): boolean {
    if (!url.startsWith('/gsb/')) return false;
    const end = url.slice(5).search(/[/?]/);
    return isServiceCode(end === -1 ? url.slice(5) : url.slice(5, 5 + end));
  }

  serve(req: IncomingMessage, res: ServerResponse, edge: EdgeContext): void {
    this.run(req, res, edge).catch((err: unknown) => {
      this.onError(err);
      writeProblem(req, res, { status: 500, code: 'INTERNAL', detail: 'The gateway failed to handle this request.' });
    });
  }

  private async run(req: IncomingMessage, res: ServerResponse, edge: EdgeContext): Promise<void> {
    const started = performance.now();
    const at = new Date();
    const requestId = ensureRequestId(req, res);
    const url = req.url ?? '/';
    const rest = url.slice(5);
    const end = rest.search(/[/?]/);
    const serviceCode = end === -1 ? rest : rest.slice(0, end);
    let upstreamPath = end === -1 ? '/' : rest.slice(end);
    if (upstreamPath.startsWith('?')) upstreamPath = `/${upstreamPath}`;
    const method = req.method ?? 'GET';
    const base = {
      at,
      requestId,
      serviceCode,
      method,
      path: upstreamPath.split('?', 1)[0].slice(0, 2048),
      requestBytes: 0,
      requestSha256: EMPTY_SHA256,
    };
    const service = this.directory.service(serviceCode);
    const refuse = (consumer: string | null, environment: string, p: EdgeProblem, grantId: string | null = null) => {
      const body = writeProblem(req, res, p);
      this.record({
        ...base,
        consumerAgencyId: consumer,
        providerAgencyId: service?.providerAgencyId ?? null,
        environment,
        status: p.status,
        outcome: 'denied',
        denyCode: p.code,
        grantId,
        responseBytes: Buffer.byteLength(body),
        durationMs: round(performance.now() - started),
        responseSha256: createHash('sha256').update(body).digest('hex'),
      });
    };

    const envHeader = req.headers[GSB_ENVIRONMENT_HEADER];
    const environment: string = (Array.isArray(envHeader) ? envHeader[0] : envHeader)?.trim().toUpperCase() || 'GSB';
    const auth = await edge.authenticate(req);
    if (!auth.ok) {
      edge.refuseAuth(req, res, auth);
      this.record({
        ...base,
        consumerAgencyId: null,
        providerAgencyId: service?.providerAgencyId ?? null,
        environment: environment.slice(0, 8),
        status: res.statusCode,
        outcome: 'denied',
        denyCode: auth.reason === 'revoked' ? 'AUTH.PRINCIPAL_DISABLED' : auth.reason === 'missing' ? 'AUTH.TOKEN_MISSING' : 'AUTH.TOKEN_INVALID',
        grantId: null,
        responseBytes: 0,
        durationMs: round(performance.now() - started),
        responseSha256: EMPTY_SHA256,
      });
      return;
    }
    const consumer = auth.principal.agencyId;
    if (!consumer || !auth.principal.roles.includes('agency')) {
      return refuse(null, environment.slice(0, 8), { status: 403, code: 'GSB.AGENCY_TOKEN_REQUIRED', detail: 'GSB services are called with an agency token (client credentials of an agency).' });
    }
    if (!isGsbEnvironment(environment)) {
      return refuse(consumer, environment.slice(0, 8), { status: 400, code: 'GSB.ENVIRONMENT_INVALID', detail: `${GSB_ENVIRONMENT_HEADER} must be GSB or PGSB.` });
    }
    const decision = decideAccess(consumer, environment, service, this.directory.grantsFor(consumer, serviceCode, environment), at);
    if (!decision.allowed) {
      const status = decision.code === 'GSB.SERVICE_NOT_FOUND' ? 404 : decision.code === 'GSB.SERVICE_UNAVAILABLE' ? 503 : 403;
      return refuse(consumer, environment, { status, code: decision.code, detail: decision.detail });
    }
    const grant = decision.grant;
    const quota = await this.spendQuota(grant, at);
    if (quota.refused) {
      return refuse(consumer, environment, quota.refused, grant.grantId);
    }
    for (const [name, value] of Object.entries(quota.headers)) res.setHeader(name, value);

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.settings.bodyLimitBytes) {
      return refuse(consumer, environment, { status: 413, code: 'GATEWAY.BODY_TOO_LARGE', detail: `GSB calls carry bodies of at most ${this.settings.bodyLimitBytes} bytes.` }, grant.grantId);
    }
    let requestHash: Hash | null = null;
    const responseHash = createHash('sha256');
    const target = this.targets.target(serviceCode, decision.service.upstreamUrl);
    const outcome = await proxyRequest(req, res, target, upstreamPath, this.settings, {
      request: (c) => (requestHash ??= createHash('sha256')).update(c),
      response: (c) => responseHash.update(c),
    });
    const ms = performance.now() - started;
    const failed = outcome.gatewayError !== undefined || outcome.status >= 500;
    this.edgeMetrics.upstream(`gsb:${serviceCode}`, outcome.status, ms);
    this.record({
      ...base,
      consumerAgencyId: consumer,
      providerAgencyId: decision.service.providerAgencyId,
      environment,
      status: outcome.status,
      outcome: failed ? 'failed' : 'allowed',
      denyCode: outcome.gatewayError ? `GATEWAY.${outcome.gatewayError.toUpperCase()}` : null,
      grantId: grant.grantId,
      requestBytes: outcome.requestBytes,
      responseBytes: outcome.responseBytes,
      durationMs: round(ms),
      requestSha256: requestHash ? (requestHash as Hash).digest('hex') : EMPTY_SHA256,
      responseSha256: responseHash.digest('hex'),
    });
  }

  private record(entry: PendingExchange): void {
    this.log.append(entry);
    this.metrics.record(entry.serviceCode, entry.consumerAgencyId, entry.outcome);
  }

  /** Per-minute (fixed window) and per-Tehran-day quotas of the grant, shared across replicas. */
  private async spendQuota(grant: Grant, at: Date): Promise<{ refused?: EdgeProblem; headers: Record<string, string> }> {
    let headers: Record<string, string> = {};
    if (grant.quotaPerMinute !== null) {
      const v = await this.rateLimits.take(`gsb:${grant.grantId}:minute`, grant.quotaPerMinute, 60, grant.grantId);
      headers = rateLimitHeaders(v);
      if (!v.allowed) {
        return {
          headers,
          refused: {
            status: 429,
            code: 'GSB.QUOTA_EXCEEDED',
            detail: `The grant allows ${grant.quotaPerMinute} calls per minute.`,
            headers: { ...headers, 'retry-after': v.retryAfterSeconds },
          },
        };
      }
    }
    if (grant.quotaPerDay !== null) {
      const day = new Date(at.getTime() + TEHRAN_OFFSET_MS).toISOString().slice(0, 10);
      const v = await this.rateLimits.take(`gsb:${grant.grantId}:day`, grant.quotaPerDay, 86_400 + 3_600, `${grant.grantId}:${day}`);
      if (!v.allowed) {
        const nextDay = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - TEHRAN_OFFSET_MS;
        const retry = Math.max(1, Math.ceil((nextDay - at.getTime()) / 1000));
        return {
          headers,
          refused: { status: 429, code: 'GSB.QUOTA_EXCEEDED', detail: `The grant allows ${grant.quotaPerDay} calls per day (Tehran time).`, headers: { ...headers, 'retry-after': retry } },
        };
      }
    }
    return { headers };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

