import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from '@darvazeh/core';

/** A request DTO failed validation; `errors` names every bad field. */
export class RequestInvalidError extends DomainError {
  readonly code = 'REQUEST.INVALID';
  readonly kind = 'invalid' as const;
  constructor(errors: FieldProblem[]) {
    const fields = [...new Set(errors.map((e) => e.field))];
    super(`The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}.`, { errors });
  }
}

/**
 * Flattens class-validator's tree to `{field, message}` with dotted paths (`imeis.1`,
 * `owner.nationalCode`). A field that is absent gets one message, "is required", instead of every
 * rule it would have had to pass (a missing string is not "longer than 32 characters").
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = error.property === undefined || error.property === '' ? parent || '(body)' : parent ? `${parent}.${error.property}` : error.property;
    const missing = error.value === undefined && error.property !== '' && error.constraints !== undefined && !('whitelistValidation' in error.constraints);
    if (missing) {
      out.push({ field, message: `${error.property} is required` });
      continue;
    }
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message: message === 'an unknown value was passed to the validate function' ? 'a JSON object is required' : message });
    }
    if (error.children?.length) out.push(...fieldProblems(error.children, field));
  }
  return out;
}

/**
 * The global pipe: unknown fields are rejected (not silently dropped, so a typo is visible),
 * payloads become DTO instances, and the 400 lists every bad field at once.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // `value` tells a missing field from a bad one (fieldProblems); values never reach the response.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new RequestInvalidError(fieldProblems(errors)),
  });
}
