import { DomainError } from '@darvazeh/core';

export class CrlNotFoundError extends DomainError {
  readonly code = 'OCSP.CRL_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(alias: string, number?: string) {
    super(number ? `issuer ${alias} has no CRL number ${number}` : `no CRL has been published for issuer ${alias}`);
  }
}

export class CrlSigningUnavailableError extends DomainError {
  readonly code = 'OCSP.CRL_SIGNING_UNAVAILABLE';
  readonly kind = 'unavailable' as const;
  constructor(alias: string) {
    super(`issuer ${alias} has no CA signing key registered, so no CRL can be signed`, {
      hint: 'register the issuer with crlKeyRef (the CA key) or with the CA key as its signing identity',
    });
  }
}
