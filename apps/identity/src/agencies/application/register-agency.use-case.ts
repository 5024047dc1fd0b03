import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { AGENCY_REGISTERED_V1, type AgencyRegisteredV1 } from '@darvazeh/contracts';
import { Clock } from '../../shared/clock.js';
import { generateClientId, generateClientSecret } from '../../clients/domain/client-credentials.js';
import { SecretHasher } from '../../clients/domain/secret-hasher.js';
import { ServiceClient } from '../../clients/domain/service-client.js';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import type { IssuedCredentials } from '../../clients/application/issued-credentials.js';
import { Agency } from '../domain/agency.js';
import { AgencyNationalIdTakenError } from '../domain/agency.errors.js';
import { AgencyRepository } from '../domain/agency.repository.js';

export interface RegisterAgencyInput {
  name: string;
  nationalId: string;
  parentMinistry: string;
  type: string;
  scopes?: string[];
}

export interface RegisterAgencyResult {
  agency: Agency;
  credentials: IssuedCredentials;
}

/** Registers an agency with its OAuth client and publishes agency.registered, all in one transaction. */
@Injectable()
export class RegisterAgencyUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly agencies: AgencyRepository,
    private readonly clients: ServiceClientRepository,
    private readonly hasher: SecretHasher,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterAgencyInput): Promise<RegisterAgencyResult> {
    const now = this.clock.now();
    const agency = Agency.register({ id: uuidv7(), ...input, now });
    const secret = generateClientSecret();
    // Hash outside the transaction: scrypt takes tens of ms and must not hold row locks.
    const client = ServiceClient.forAgency({
      id: uuidv7(),
      clientId: generateClientId('agency'),
      secretHash: await this.hasher.hash(secret),
      agencyId: agency.id,
      displayName: agency.name,
      scopes: input.scopes,
      now,
    });
    await this.tx.run(async (manager) => {
      // The unique constraint is the real guard (concurrent requests); this gives the common case a clear error early.
      if (await this.agencies.findByNationalId(agency.nationalId)) throw new AgencyNationalIdTakenError(agency.nationalId);
      await this.agencies.insert(agency);
      await this.clients.insert(client);
      const data: AgencyRegisteredV1 = {
        agencyId: agency.id,
        name: agency.name,
        nationalId: agency.nationalId,
        parentMinistry: agency.parentMinistry,
        type: agency.type,
        clientId: client.clientId,
        registeredAt: now.toISOString(),
      };
      await this.outbox.append(manager, [{ type: AGENCY_REGISTERED_V1, subject: agency.id, data, time: now }]);
    });
    return { agency, credentials: { clientId: client.clientId, clientSecret: secret } };
  }
}
