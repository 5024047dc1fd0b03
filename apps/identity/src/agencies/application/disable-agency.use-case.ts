import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { AGENCY_DISABLED_V1, PRINCIPAL_DISABLED_V1, type AgencyDisabledV1, type PrincipalDisabledV1 } from '@darvazeh/contracts';
import { Clock } from '../../shared/clock.js';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import type { Agency } from '../domain/agency.js';
import { AgencyNotFoundError } from '../domain/agency.errors.js';
import { AgencyRepository } from '../domain/agency.repository.js';

/** Disables the agency and its client (no new tokens) and publishes agency.disabled and principal.disabled. */
@Injectable()
export class DisableAgencyUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly agencies: AgencyRepository,
    private readonly clients: ServiceClientRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute(input: { agencyId: string }): Promise<Agency> {
    return this.tx.run(async (manager) => {
      const now = this.clock.now();
      const agency = await this.agencies.findById(input.agencyId);
      if (!agency) throw new AgencyNotFoundError(input.agencyId);
      agency.disable(now);
      await this.agencies.update(agency);
      const client = await this.clients.findByAgencyId(agency.id);
      // Registered together in one transaction, so a missing client means a broken database.
      if (!client) throw new Error(`agency ${agency.id} has no OAuth client`);
      if (client.isActive) {
        client.disable(now);
        await this.clients.update(client);
      }
      const data: AgencyDisabledV1 = {
        agencyId: agency.id,
        clientId: client.clientId,
        disabledAt: now.toISOString(),
      };
      // The agency's client is a service client like any other: consumers that only follow
      // principal.* (the gateway, libs/auth revocation) refuse its tokens from this event too.
      const revoked: PrincipalDisabledV1 = { principalId: client.id, subject: client.clientId, kind: 'service_client', at: now.toISOString() };
      await this.outbox.append(manager, [
        { type: AGENCY_DISABLED_V1, subject: agency.id, data, time: now },
        { type: PRINCIPAL_DISABLED_V1, subject: client.id, data: revoked, time: now },
      ]);
      return agency;
    });
  }
}
