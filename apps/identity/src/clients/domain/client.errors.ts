import { DomainError } from '@darvazeh/core';

/**
 * Unknown client, wrong secret and disabled client are one error on purpose: telling them
 * apart would let a caller probe which client ids exist or are disabled.
 */
export class InvalidClientError extends DomainError {
  readonly code = 'IDENTITY.INVALID_CLIENT';
  readonly kind = 'unauthenticated' as const;
  constructor() {
    super('Client authentication failed');
  }
}

export class InvalidScopeError extends DomainError {
  readonly code = 'IDENTITY.INVALID_SCOPE';
  readonly kind = 'invalid' as const;
  constructor(scopes: string[]) {
    super(`The client may not request scope ${scopes.join(' ')}`, { errors: [{ field: 'scope', message: 'is not allowed for this client' }] });
  }
}

export class ServiceClientNotFoundError extends DomainError {
  readonly code = 'IDENTITY.PRINCIPAL_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(id: string) {
    super(`Service principal ${id} does not exist`);
  }
}

export class ServiceClientDisabledError extends DomainError {
  readonly code = 'IDENTITY.PRINCIPAL_DISABLED';
  readonly kind = 'conflict' as const;
  constructor(id: string) {
    super(`Service principal ${id} is disabled`);
  }
}

export class ServiceClientActiveError extends DomainError {
  readonly code = 'IDENTITY.PRINCIPAL_ACTIVE';
  readonly kind = 'conflict' as const;
  constructor(id: string) {
    super(`Service principal ${id} is already active`);
  }
}

export class ServicePrincipalInvalidError extends DomainError {
  readonly code = 'IDENTITY.PRINCIPAL_INVALID';
  readonly kind = 'invalid' as const;
  constructor(field: string, message: string) {
    super(`${field} ${message}`, { errors: [{ field, message }] });
  }
}

export class ClientIdTakenError extends DomainError {
  readonly code = 'IDENTITY.CLIENT_ID_TAKEN';
  readonly kind = 'conflict' as const;
  constructor(clientId: string) {
    super(`Client id ${clientId} is already in use`, { errors: [{ field: 'clientId', message: 'is already in use' }] });
  }
}
