import { ServiceClientNotFoundError } from '../domain/client.errors.js';
import type { ServiceClient } from '../domain/service-client.js';
import type { ServiceClientRepository } from '../domain/service-client.repository.js';

/** Loads a service principal by id; agency clients are managed through their agency instead. */
export async function loadServicePrincipal(clients: ServiceClientRepository, id: string): Promise<ServiceClient> {
  const client = await clients.findById(id);
  if (!client || client.agencyId !== null) throw new ServiceClientNotFoundError(id);
  return client;
}
