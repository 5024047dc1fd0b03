/**
 * The alias of an issuing CA as the OCSP responder names it (`/ocsp/{alias}`, `/crl/{alias}.crl`)
 * and as `ca` principals carry it in `ca_issuers`: lowercase letters, digits and `-`, at most 63.
 */
export const ISSUER_ALIAS_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isIssuerAlias(value: unknown): value is string {
  return typeof value === 'string' && ISSUER_ALIAS_PATTERN.test(value);
}
