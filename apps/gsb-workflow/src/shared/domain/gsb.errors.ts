import { DomainError, type DomainErrorKind, type FieldProblem } from '@darvazeh/core';

/** A gsb-workflow error with a stable code (`GSB.*`): wire format, never rename one. */
export class GsbError extends DomainError {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    options?: { hint?: string; errors?: FieldProblem[] },
  ) {
    super(message, options);
  }
}

export const invalid = (code: string, message: string, errors?: FieldProblem[], hint?: string) => new GsbError(code, 'invalid', message, { errors, hint });
export const notFound = (code: string, message: string) => new GsbError(code, 'not_found', message);
export const forbidden = (code: string, message: string, hint?: string) => new GsbError(code, 'forbidden', message, { hint });
export const conflict = (code: string, message: string, hint?: string) => new GsbError(code, 'conflict', message, { hint });
export const ruleViolation = (code: string, message: string, options?: { hint?: string; errors?: FieldProblem[] }) => new GsbError(code, 'rule_violation', message, options);
