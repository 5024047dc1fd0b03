import { DomainError, type DomainErrorKind, type FieldProblem } from '@darvazeh/core';

/** Karpoosheh's errors; `code` is wire format (clients branch on it). */
export class KarpooshehError extends DomainError {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    options?: { hint?: string; errors?: FieldProblem[]; retryAfterSeconds?: number },
  ) {
    super(message, options);
  }
}

export const invalid = (code: string, message: string, errors?: FieldProblem[], hint?: string) =>
  new KarpooshehError(code, 'invalid', message, { errors, hint });

/** The same answer whether the notice does not exist or belongs to someone else: nothing leaks. */
export const noticeNotFound = () => new KarpooshehError('KARPOOSHEH.NOTICE_NOT_FOUND', 'not_found', 'No such notice.');

export const forbidden = (code: string, message: string, hint?: string) => new KarpooshehError(code, 'forbidden', message, { hint });
