import { Injectable } from '@nestjs/common';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import { AgencyNotFoundError } from '../domain/agency.errors.js';
import { AgencyRepository } from '../domain/agency.repository.js';
import type { AgencyView } from './agency-view.js';

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
