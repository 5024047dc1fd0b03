import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PrincipalDisabledError, TokenInvalidError, TokenMissingError } from './auth.errors.js';
import { JwtVerifier } from './jwt-verifier.js';
import type { Principal } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Global guard: every HTTP route needs a valid access token unless marked `@Public()`. On a
 * public route a valid token still sets the principal (so a handler may personalise) while a
 * missing or bad one is ignored. A valid token of a principal identity has disabled is refused
 * with 403 AUTH.PRINCIPAL_DISABLED (see PrincipalRevocationModule). Event handlers (RPC context) are not HTTP callers and pass.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: Principal }>();
    const outcome = await this.verifier.verify(request);
    if (outcome.ok) {
      request.user = outcome.principal;
      return true;
    }
    if (isPublic) return true;
    if (outcome.reason === 'missing') throw new TokenMissingError();
    if (outcome.reason === 'disabled') throw new PrincipalDisabledError();
    throw new TokenInvalidError(outcome.detail);
  }
}
