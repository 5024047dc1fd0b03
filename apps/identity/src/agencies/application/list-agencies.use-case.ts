import { Injectable } from '@nestjs/common';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import { AgencyRepository } from '../domain/agency.repository.js';
import type { AgencyView } from './agency-view.js';

@Injectable()
export class ListAgenciesUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly clients: ServiceClientRepository,
  ) {}

  /** Fetches limit + 1 rows so the caller can tell whether another page exists; client ids in one more query. */
  async execute(input: { limit: number; after?: string }): Promise<AgencyView[]> {
    const agencies = await this.agencies.list({ limit: input.limit + 1, after: input.after });
    const clients = await this.clients.findByAgencyIds(agencies.map((a) => a.id));
    const clientIdOf = new Map(clients.map((c) => [c.agencyId, c.clientId]));
    return agencies.map((agency) => ({ agency, clientId: clientIdOf.get(agency.id) ?? null }));
  }
}
