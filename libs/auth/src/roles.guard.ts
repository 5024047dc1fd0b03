import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, TokenMissingError } from './auth.errors.js';
import type { Principal, Role } from './principal.js';
import { REQUIRED_ROLES } from './roles.decorator.js';

/** Enforces `@Roles(...)`: the principal needs at least one of the listed roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!principal) throw new TokenMissingError();
    if (!principal.roles.some((r) => required.includes(r))) throw new ForbiddenError(required);
    return true;
  }
}
