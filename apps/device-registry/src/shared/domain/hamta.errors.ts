import { DomainError, type DomainErrorKind, type FieldProblem } from '@darvazeh/core';

/** Stable reason codes (wire format: clients branch on them; never rename one). */
export const REASON = {
  IMEI_INVALID: 'HAMTA.IMEI_INVALID',
  IMEI_CHECK_DIGIT: 'HAMTA.IMEI_CHECK_DIGIT',
  NOT_SEEN_BEFORE_CUTOFF: 'HAMTA.NOT_SEEN_BEFORE_CUTOFF',
  SIM_MISMATCH: 'HAMTA.SIM_MISMATCH',
  MSISDN_NOT_OWNED: 'HAMTA.MSISDN_NOT_OWNED',
  ALREADY_REGISTERED: 'HAMTA.ALREADY_REGISTERED',
  REPORTED_STOLEN: 'HAMTA.REPORTED_STOLEN',
  DEVICE_BLOCKED: 'HAMTA.DEVICE_BLOCKED',
  DUPLICATE_IMEI: 'HAMTA.DUPLICATE_IMEI',
  MSISDN_NOT_OWNED_WHEN_SEEN: 'HAMTA.MSISDN_NOT_OWNED_WHEN_SEEN',
} as const;
export type ReasonCode = (typeof REASON)[keyof typeof REASON];

class HamtaError extends DomainError {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    options?: { hint?: string; errors?: FieldProblem[] },
  ) {
    super(message, options);
  }
}

export class InvalidInputError extends HamtaError {
  constructor(code: string, message: string, options?: { hint?: string; errors?: FieldProblem[] }) {
    super(code, 'invalid', message, options);
  }
}
export class NotFoundError extends HamtaError {
  constructor(code: string, message: string, hint?: string) {
    super(code, 'not_found', message, { hint });
  }
}
export class ForbiddenError extends HamtaError {
  constructor(code: string, message: string, hint?: string) {
    super(code, 'forbidden', message, { hint });
  }
}
/** A file or body over a limit the use case enforces while streaming it (413). */
export class TooLargeError extends HamtaError {
  constructor(code: string, message: string, options?: { hint?: string; errors?: FieldProblem[] }) {
    super(code, 'too_large', message, options);
  }
}
/** A body in a format the endpoint does not take (415). */
export class UnsupportedMediaTypeError extends HamtaError {
  constructor(code: string, message: string, options?: { hint?: string; errors?: FieldProblem[] }) {
    super(code, 'unsupported_media_type', message, options);
  }
}
export class ConflictError extends HamtaError {
  constructor(code: string, message: string, hint?: string) {
    super(code, 'conflict', message, { hint });
  }
}
export class RuleViolationError extends HamtaError {
  constructor(code: string, message: string, options?: { hint?: string; errors?: FieldProblem[] }) {
    super(code, 'rule_violation', message, options);
  }
}
