import { DomainError } from '@darvazeh/core';

export class TokenMissingError extends DomainError {
  readonly code = 'AUTH.TOKEN_MISSING';
  readonly kind = 'unauthenticated' as const;
  constructor() {
    super('This route needs a bearer access token.', {
      hint: 'Send "Authorization: Bearer <token>"; get a token from identity POST /oauth/token.',
    });
  }
}

export class TokenInvalidError extends DomainError {
  readonly code = 'AUTH.TOKEN_INVALID';
  readonly kind = 'unauthenticated' as const;
  constructor(reason: string) {
    super(`The access token was rejected: ${reason}.`, { hint: 'Get a new token and retry.' });
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'AUTH.FORBIDDEN';
  readonly kind = 'forbidden' as const;
  constructor(required: readonly string[]) {
    super(`This action needs one of the roles: ${required.join(', ')}.`);
  }
}

export class PrincipalDisabledError extends DomainError {
  readonly code = 'AUTH.PRINCIPAL_DISABLED';
  readonly kind = 'forbidden' as const;
  constructor() {
    super('The principal this token was issued to has been disabled.', {
      hint: 'Ask the identity administrator to enable the account; a new token will not help until then.',
    });
  }
}
