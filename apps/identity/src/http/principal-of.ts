import type { Principal } from '@darvazeh/auth';
import { DomainError } from '@darvazeh/core';

class NotAuthenticatedError extends DomainError {
  readonly code = 'AUTH.UNAUTHENTICATED';
  readonly kind = 'unauthenticated' as const;
  constructor() {
    super('A bearer token is required');
  }
}

/** The guard guarantees a principal on non-public routes; this keeps the types honest. */
export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw new NotAuthenticatedError();
  return principal;
}
