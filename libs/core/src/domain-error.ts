/**
 * What kind of failure a DomainError is. The HTTP layer maps kinds to status codes
 * (invalid → 400, unauthenticated → 401, forbidden → 403, not_found → 404, conflict → 409,
 * too_large → 413, unsupported_media_type → 415, rule_violation → 422, rate_limited → 429,
 * unavailable → 503); domain code never knows about HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** An upload or body over a limit the use case enforces (a streamed file, say). */
  | 'too_large'
  /** A body in a format the use case does not take (checked after routing, e.g. a file's type). */
  | 'unsupported_media_type'
  | 'rule_violation'
  | 'rate_limited'
  | 'unavailable';

/** One field-level problem, reported in problem+json `errors`. */
export interface FieldProblem {
  /** JSON-pointer-ish path of the field, e.g. `imeis[1]` or `nationalId`. */
  field: string;
  message: string;
}

/**
 * Base class of every error thrown by domain and application code. `code` is stable wire
 * format (`HAMTA.IMEI_INVALID`); clients branch on it, so never rename one.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;
  /** Optional hint shown to the caller: what they can do next. */
  readonly hint?: string;
  readonly errors?: FieldProblem[];
  /** For `rate_limited` (and `unavailable`): when the caller may try again; sent as Retry-After. */
  readonly retryAfterSeconds?: number;

  constructor(
    message: string,
    options?: { hint?: string; errors?: FieldProblem[]; cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
    this.errors = options?.errors;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
