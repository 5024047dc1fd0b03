import type { Principal } from '@darvazeh/auth';
import { DomainError } from '@darvazeh/core';

export class IssuerNotInScopeError extends DomainError {
  readonly code = 'OCSP.ISSUER_NOT_IN_SCOPE';
  readonly kind = 'forbidden' as const;
  constructor(alias: string) {
    super(`This CA operator does not act for issuer "${alias}".`, {
      hint: 'A CA operator token carries the issuers it acts for (ca_issuers); ask the identity admin to add this issuer.',
    });
  }
}

/**
 * A CA operator may change only the statuses, CRLs and registration of the issuing CAs its token
 * names (`ca_issuers`): the role alone would let one CA revoke another CA's certificates.
 */
export function requireIssuerScope(principal: Principal | undefined, alias: string): void {
  if (!principal?.caIssuers.includes(alias)) throw new IssuerNotInScopeError(alias);
}
