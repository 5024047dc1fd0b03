import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { InvalidConfigError, type ConfigProblem } from './invalid-config.error.js';

export type EnvSource = Record<string, string | undefined>;

/**
 * Builds and validates an env class from a flat string map (process.env by default).
 * Empty strings count as unset so `FOO=` in a compose file falls back to the default.
 * Unknown variables are ignored (the process environment holds many unrelated ones).
 */
export function loadEnv<T extends object>(envClass: new () => T, source: EnvSource = process.env): T {
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const instance = plainToInstance(envClass, plain, {
    enableImplicitConversion: true,
    excludeExtraneousValues: false,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: false,
    skipMissingProperties: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    throw new InvalidConfigError(envClass.name, flatten(errors, plain));
  }
  return instance;
}

function flatten(errors: ValidationError[], plain: Record<string, string>): ConfigProblem[] {
  return errors.map((error) => {
    const messages = Object.values(error.constraints ?? {});
    const missing = plain[error.property] === undefined;
    return {
      variable: error.property,
      problems: missing ? ['is missing', ...messages] : messages,
    };
  });
}
