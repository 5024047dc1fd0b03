/** One environment variable that failed validation. */
export interface ConfigProblem {
  variable: string;
  problems: string[];
}

/**
 * Thrown by `loadEnv` when the environment is unusable. The message lists every bad or missing
 * variable at once, so an operator fixes the deployment in one round instead of one per restart.
 */
export class InvalidConfigError extends Error {
  constructor(
    readonly envClass: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration (${envClass}): ` +
        problems.map((p) => `${p.variable}: ${p.problems.join('; ')}`).join(' | '),
    );
    this.name = 'InvalidConfigError';
  }
}
