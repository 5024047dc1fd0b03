import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@darvazeh/auth';
import { InvalidClientError, InvalidScopeError } from '../../clients/domain/client.errors.js';
import { NoActiveSigningKeyError } from '../../signing-keys/domain/signing-key.errors.js';
import { IssueClientTokenUseCase } from '../application/issue-client-token.use-case.js';
import { parseBasicAuth, type ClientAuthentication } from './basic-auth.js';
import { TokenRateLimiter } from './token-rate-limiter.js';

type OAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const TOKEN_REQUEST_SCHEMA = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { type: 'string', enum: ['client_credentials'] },
    client_id: { type: 'string', description: 'client_secret_post only (else HTTP Basic)' },
    client_secret: { type: 'string', description: 'client_secret_post only (else HTTP Basic)' },
    scope: { type: 'string', description: 'space-separated; omitted = every scope the client has', example: 'notices:send' },
  },
};
const TOKEN_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'scope'],
  properties: {
    access_token: { type: 'string', description: 'ES256 JWT (typ at+jwt)' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer', example: 900 },
    scope: { type: 'string' },
  },
};
const OAUTH_ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
};

/**
 * RFC 6749 §4.4 client credentials. Answers in the RFC's own JSON format (`{"error": …}`),
 * not problem+json: OAuth client libraries parse exactly that shape, so this controller
 * writes its responses itself instead of throwing to the global filter.
 */
@ApiTags('oauth')
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly issue: IssueClientTokenUseCase,
    private readonly limiter: TokenRateLimiter,
  ) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get an access token (OAuth 2.0 client credentials)',
    description:
      'RFC 6749 §4.4. Authenticate with HTTP Basic (client_secret_basic) or client_id + client_secret in the form (client_secret_post). ' +
      'Errors use the RFC\'s JSON ({"error", "error_description"}), not problem+json.',
  })
  @ApiBasicAuth()
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: TOKEN_REQUEST_SCHEMA })
  @ApiResponse({ status: 200, description: 'The access token', schema: TOKEN_RESPONSE_SCHEMA })
  @ApiResponse({ status: 400, description: 'invalid_request, unsupported_grant_type or invalid_scope', schema: OAUTH_ERROR_SCHEMA })
  @ApiResponse({ status: 401, description: 'invalid_client (with WWW-Authenticate)', schema: OAUTH_ERROR_SCHEMA })
  @ApiResponse({ status: 429, description: 'slow_down: too many requests from this address, or too many failed secrets for this client from it (Retry-After)', schema: OAUTH_ERROR_SCHEMA })
  async token(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      return this.fail(reply, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = (req.body ?? {}) as Record<string, unknown>;
    // RFC 6749 §3.2: parameters must not appear more than once.
    for (const [name, value] of Object.entries(form)) {
      if (Array.isArray(value)) return this.fail(reply, 400, 'invalid_request', `parameter ${name} is repeated`);
    }
    const param = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);

    const basic = parseBasicAuth(req.headers.authorization);
    if (basic === 'malformed') return this.fail(reply, 401, 'invalid_client', 'malformed Basic credentials');
    const bodyId = param('client_id');
    const bodySecret = param('client_secret');
    if (basic && (bodyId !== undefined || bodySecret !== undefined) && (bodySecret !== undefined || bodyId !== basic.clientId)) {
      return this.fail(reply, 400, 'invalid_request', 'use one client authentication method, not both');
    }
    const client: ClientAuthentication | undefined =
      basic ?? (bodyId && bodySecret !== undefined ? { clientId: bodyId, clientSecret: bodySecret } : undefined);

    const limited = await this.limiter.take(client?.clientId ?? bodyId, req.ip);
    if (!limited.allowed) {
      reply.header('Retry-After', String(limited.retryAfterSeconds));
      return void reply.status(HttpStatus.TOO_MANY_REQUESTS).send({
        error: 'slow_down',
        error_description: `too many token requests; retry after ${limited.retryAfterSeconds} s`,
      });
    }

    const grantType = param('grant_type');
    if (!grantType) return this.fail(reply, 400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      return this.fail(reply, 400, 'unsupported_grant_type', 'only client_credentials is supported');
    }
    if (!client) return this.fail(reply, 401, 'invalid_client', 'client authentication is required');
    const rawScope = param('scope');
    const scope = rawScope === undefined ? undefined : rawScope.split(' ').filter((s) => s.length > 0);
    if (scope?.some((s) => !SCOPE_TOKEN.test(s))) return this.fail(reply, 400, 'invalid_scope', 'malformed scope');

    try {
      const issued = await this.issue.execute({ ...client, scope });
      return void reply.status(200).send({
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        scope: issued.scope.join(' '),
      });
    } catch (error) {
      if (error instanceof InvalidClientError) {
        await this.limiter.failed(client.clientId, req.ip);
        return this.fail(reply, 401, 'invalid_client', 'client authentication failed');
      }
      if (error instanceof InvalidScopeError) return this.fail(reply, 400, 'invalid_scope', error.message);
      if (error instanceof NoActiveSigningKeyError) return this.fail(reply, 503, 'temporarily_unavailable', error.message);
      throw error;
    }
  }

  private fail(reply: FastifyReply, status: number, error: OAuthError, description: string): void {
    if (status === 401) {
      // RFC 6749 §5.2: a 401 invalid_client carries the scheme the client should use.
      reply.header('WWW-Authenticate', `Basic realm="darvazeh", error="${error}"`);
    }
    void reply.status(status).send({ error, error_description: description });
  }
}
