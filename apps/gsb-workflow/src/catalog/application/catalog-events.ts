import { GSB_SERVICE_CHANGED_V1, type GsbServiceChangedV1 } from '@darvazeh/contracts';
import type { OutgoingEvent } from '@darvazeh/messaging';
import type { CatalogService } from '../domain/catalog-service.js';

/** The gsb.catalog event of an entry's new state (the gateway keeps the highest version). */
export function serviceChanged(s: CatalogService, reason: string | null = null): OutgoingEvent {
  const data: GsbServiceChangedV1 = {
    serviceCode: s.code,
    title: s.title,
    description: s.description,
    providerAgencyId: s.providerAgencyId,
    environments: s.environments,
    upstreamUrl: s.upstreamUrl,
    status: s.status,
    version: s.version,
    changedAt: s.changedAt.toISOString(),
    reason,
  };
  return { type: GSB_SERVICE_CHANGED_V1, subject: s.code, data, time: s.changedAt };
}
