/** Injection token for the dependencies /health/ready checks (database, bus). */
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

export interface HealthProbe {
  name: string;
  /** Resolves true when the dependency answers; false or a rejection marks it down. */
  check(): Promise<boolean>;
}
