/**
 * The two national exchanges: GSB (government service bus, executive agencies) and PGSB
 * (provincial and private bodies). Wire format in grants, catalog entries and requests.
 */
export const GSB_ENVIRONMENTS = ['GSB', 'PGSB'] as const;
export type GsbEnvironment = (typeof GSB_ENVIRONMENTS)[number];

export function isGsbEnvironment(value: unknown): value is GsbEnvironment {
  return typeof value === 'string' && (GSB_ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * A service's code on the exchange: `<provider>.<service>` in lowercase, e.g. `hamta.imei-status`,
 * `karpoosheh.send-notice`; it is the first segment of `/gsb/{serviceCode}/…` at the gateway.
 */
export const SERVICE_CODE_PATTERN = /^[a-z][a-z0-9-]{0,30}(\.[a-z0-9][a-z0-9-]{0,62}){1,3}$/;

export function isServiceCode(value: unknown): value is string {
  return typeof value === 'string' && SERVICE_CODE_PATTERN.test(value);
}
