import { Injectable } from '@nestjs/common';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import type { Agency } from '../domain/agency.js';
import { AgencyNotFoundError } from '../domain/agency.errors.js';
import { AgencyRepository } from '../domain/agency.repository.js';

export interface AgencyView {
  agency: Agency;
  clientId: string | null;
}

@Injectable()
export class GetAgencyUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly clients: ServiceClientRepository,
  ) {}

  async execute(input: { agencyId: string }): Promise<AgencyView> {
    const agency = await this.agencies.findById(input.agencyId);
    if (!agency) throw new AgencyNotFoundError(input.agencyId);
    const client = await this.clients.findByAgencyId(agency.id);
    return { agency, clientId: client?.clientId ?? null };
  }
}

@Injectable()
export class ListAgenciesUseCase {
  constructor(private readonly agencies: AgencyRepository) {}

  /** Fetches limit + 1 rows so the caller can tell whether another page exists. */
  execute(input: { limit: number; after?: string }): Promise<Agency[]> {
    return this.agencies.list({ limit: input.limit + 1, after: input.after });
  }
}
