import { DomainError, type FieldProblem } from '@darvazeh/core';

export class IssuerUnknownError extends DomainError {
  readonly code = 'OCSP.ISSUER_UNKNOWN';
  readonly kind = 'not_found' as const;
  constructor(alias: string) {
    super(`no issuer with alias ${alias}`);
  }
}

export class IssuerAliasTakenError extends DomainError {
  readonly code = 'OCSP.ISSUER_ALIAS_TAKEN';
  readonly kind = 'conflict' as const;
  constructor(alias: string) {
    super(`issuer alias ${alias} is already registered`);
  }
}

export class IssuerAlreadyRegisteredError extends DomainError {
  readonly code = 'OCSP.ISSUER_ALREADY_REGISTERED';
  readonly kind = 'conflict' as const;
  constructor(alias: string) {
    super(`this CA certificate is already registered as ${alias}`);
  }
}

export class InvalidSigningIdentityError extends DomainError {
  readonly code = 'OCSP.SIGNING_IDENTITY_INVALID';
  readonly kind = 'invalid' as const;
  constructor(errors: FieldProblem[]) {
    super(`the signing identity is not usable: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, { errors });
  }
}
