import type { ServiceClient } from './service-client.js';

export interface ServiceClientPageQuery {
  limit: number;
  after?: string;
}

/** Port. Implementations join the ambient transaction of the calling use case. */
export abstract class ServiceClientRepository {
  abstract findById(id: string): Promise<ServiceClient | null>;
  abstract findByClientId(clientId: string): Promise<ServiceClient | null>;
  abstract findByAgencyId(agencyId: string): Promise<ServiceClient | null>;
  /** The clients of these agencies (one query for a page of agencies). */
  abstract findByAgencyIds(agencyIds: string[]): Promise<ServiceClient[]>;
  /** Throws ClientIdTakenError when the client id is already used. */
  abstract insert(client: ServiceClient): Promise<void>;
  abstract update(client: ServiceClient): Promise<void>;
  /** Service principals (not agency clients), ordered by id. */
  abstract listServicePrincipals(query: ServiceClientPageQuery): Promise<ServiceClient[]>;
}
