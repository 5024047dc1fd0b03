import { DomainError } from '@darvazeh/core';

export class InvalidSerialNumberError extends DomainError {
  readonly code = 'OCSP.SERIAL_INVALID';
  readonly kind = 'invalid' as const;
  constructor(field: string, value: string, problem: string) {
    super(`serial number ${value} ${problem}`, { errors: [{ field, message: `serial number ${problem}` }] });
  }
}

export class InvalidRevocationReasonError extends DomainError {
  readonly code = 'OCSP.REASON_INVALID';
  readonly kind = 'invalid' as const;
  constructor(field: string, value: string) {
    super(`unknown revocation reason ${value}`, {
      errors: [{ field, message: `must be one of the RFC 5280 CRLReason names or codes` }],
    });
  }
}

export class CertificateNotFoundError extends DomainError {
  readonly code = 'OCSP.CERTIFICATE_UNKNOWN';
  readonly kind = 'not_found' as const;
  constructor(issuer: string, serial: string) {
    super(`issuer ${issuer} has no certificate with serial ${serial}`);
  }
}

export class StatusTransitionError extends DomainError {
  readonly code = 'OCSP.STATUS_TRANSITION_INVALID';
  readonly kind = 'rule_violation' as const;
  constructor(message: string) {
    super(message);
  }
}
