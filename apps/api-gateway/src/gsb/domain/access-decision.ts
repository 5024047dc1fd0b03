import type { GsbEnvironment } from '@darvazeh/core';

export interface CatalogEntry {
  serviceCode: string;
  title: string;
  providerAgencyId: string;
  environments: readonly GsbEnvironment[];
  upstreamUrl: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'RETIRED';
  version: number;
}

export interface Grant {
  grantId: string;
  consumerAgencyId: string;
  providerAgencyId: string;
  serviceCode: string;
  environment: GsbEnvironment;
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  quotaPerMinute: number | null;
  quotaPerDay: number | null;
  validFrom: Date;
  validUntil: Date | null;
  version: number;
}

export type AccessDecision =
  | { allowed: true; service: CatalogEntry; grant: Grant }
  | { allowed: false; code: 'GSB.SERVICE_NOT_FOUND' | 'GSB.SERVICE_UNAVAILABLE' | 'GSB.ACCESS_DENIED'; detail: string; service?: CatalogEntry };

/**
 * Deny by default (as X-Road): a call passes only when the service is in the catalog, ACTIVE and
 * offered on the environment, and the caller's agency holds an ACTIVE grant for exactly that
 * service and environment whose validity covers `now`.
 */
export function decideAccess(
  consumerAgencyId: string,
  environment: GsbEnvironment,
  service: CatalogEntry | undefined,
  grants: readonly Grant[],
  now: Date,
): AccessDecision {
  if (!service || service.status === 'RETIRED') return { allowed: false, code: 'GSB.SERVICE_NOT_FOUND', detail: 'No such service in the exchange catalog.' };
  if (service.status !== 'ACTIVE') return { allowed: false, code: 'GSB.SERVICE_UNAVAILABLE', detail: `The service ${service.serviceCode} is suspended.`, service };
  if (!service.environments.includes(environment)) {
    return { allowed: false, code: 'GSB.ACCESS_DENIED', detail: `The service ${service.serviceCode} is not offered on ${environment}.`, service };
  }
  const grant = grants.find(
    (g) =>
      g.consumerAgencyId === consumerAgencyId &&
      g.serviceCode === service.serviceCode &&
      g.environment === environment &&
      g.status === 'ACTIVE' &&
      g.validFrom.getTime() <= now.getTime() &&
      (g.validUntil === null || g.validUntil.getTime() > now.getTime()),
  );
  if (!grant) {
    return { allowed: false, code: 'GSB.ACCESS_DENIED', detail: `Your agency holds no active grant for ${service.serviceCode} on ${environment}.`, service };
  }
  return { allowed: true, service, grant };
}
