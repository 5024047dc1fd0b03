import { DomainError } from '@darvazeh/core';

export class NoActiveSigningKeyError extends DomainError {
  readonly code = 'IDENTITY.NO_SIGNING_KEY';
  readonly kind = 'unavailable' as const;
  constructor() {
    super('No active signing key; the service has not finished starting');
  }
}
