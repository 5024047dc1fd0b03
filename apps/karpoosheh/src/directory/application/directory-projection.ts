import { Inject, Injectable } from '@nestjs/common';
import type { AgencyDisabledV1, AgencyRegisteredV1, CitizenRegisteredV1 } from '@darvazeh/contracts';
import { DirectoryRepository } from '../domain/directory.repository.js';

/** The local projection of identity's agencies and citizens (no HTTP calls to identity). */
@Injectable()
export class DirectoryProjection {
  constructor(@Inject(DirectoryRepository) private readonly directory: DirectoryRepository) {}

  async agencyRegistered(e: AgencyRegisteredV1): Promise<void> {
    await this.directory.upsertAgency({ agencyId: e.agencyId, name: e.name, clientId: e.clientId, at: e.registeredAt });
  }

  async agencyDisabled(e: AgencyDisabledV1): Promise<void> {
    await this.directory.disableAgency(e.agencyId, e.disabledAt);
  }

  async citizenRegistered(e: CitizenRegisteredV1): Promise<void> {
    await this.directory.insertCitizen({ nationalCode: e.nationalCode, citizenId: e.citizenId, at: e.registeredAt });
  }
}
