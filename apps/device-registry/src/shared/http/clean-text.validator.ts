import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * True when a string can be stored as PostgreSQL text: no NUL character (PostgreSQL refuses it,
 * which surfaced as a 500 "invalid byte sequence") and no unpaired UTF-16 surrogate (not a
 * character at all; encoded as U+FFFD it would silently change what the caller sent).
 */
export function isCleanText(value: unknown): boolean {
  return typeof value === 'string' && !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The DTO form of isCleanText: a 400 naming the field instead of a 500 from the database. */
export function IsCleanText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCleanText',
      validator: {
        validate: (value) => isCleanText(value),
        defaultMessage: (args) => `${args?.property ?? 'the value'} must not contain NUL characters or unpaired surrogates`,
      },
    },
    options,
  );
}
