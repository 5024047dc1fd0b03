import { isRole, type Role } from '@darvazeh/core';

// The one list of roles lives in @darvazeh/core; re-exported for the callers of this lib.
export { ROLES, isRole, type Role } from '@darvazeh/core';

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  /** Token `sub`. */
  subject: string;
  roles: Role[];
  agencyId?: string;
  nationalCode?: string;
  operatorCode?: string;
  /** For role `ca`: the issuing CAs (OCSP issuer aliases) this principal acts for. */
  caIssuers: string[];
  scope: string[];
}

/** Claims of a Darvazeh access token after signature, iss, aud and exp checks. */
export interface AccessTokenClaims {
  sub?: unknown;
  roles?: unknown;
  agency_id?: unknown;
  national_code?: unknown;
  operator_code?: unknown;
  ca_issuers?: unknown;
  scope?: unknown;
  [claim: string]: unknown;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return [];
}

/**
 * Maps verified claims to a Principal; undefined when the token lacks a subject. Unknown role
 * names are dropped rather than trusted.
 */
export function principalFromClaims(claims: AccessTokenClaims): Principal | undefined {
  const subject = optionalString(claims.sub);
  if (!subject) return undefined;
  const roles = stringList(claims.roles).filter(isRole);
  return {
    subject,
    roles,
    agencyId: optionalString(claims.agency_id),
    nationalCode: optionalString(claims.national_code),
    operatorCode: optionalString(claims.operator_code),
    caIssuers: stringList(claims.ca_issuers),
    scope: stringList(claims.scope),
  };
}
