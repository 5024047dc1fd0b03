import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { generateClientSecret } from '../../clients/domain/client-credentials.js';
import { SecretHasher } from '../../clients/domain/secret-hasher.js';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import type { IssuedCredentials } from '../../clients/application/issued-credentials.js';
import { AgencyNotFoundError } from '../domain/agency.errors.js';
import { AgencyRepository } from '../domain/agency.repository.js';

/**
 * Issues a new client secret; the old one stops working when this commits. No grace period:
 * rotation is also the response to a leaked secret, where overlap would be the wrong default.
 */
@Injectable()
export class RotateAgencySecretUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly agencies: AgencyRepository,
    private readonly clients: ServiceClientRepository,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
  ) {}

  async execute(input: { agencyId: string }): Promise<IssuedCredentials> {
    const secret = generateClientSecret();
    const hash = await this.hasher.hash(secret);
    return this.tx.run(async () => {
      const agency = await this.agencies.findById(input.agencyId);
      if (!agency) throw new AgencyNotFoundError(input.agencyId);
      agency.assertActive();
      const client = await this.clients.findByAgencyId(agency.id);
      if (!client) throw new AgencyNotFoundError(input.agencyId);
      client.rotateSecret(hash, this.clock.now());
      await this.clients.update(client);
      return { clientId: client.clientId, clientSecret: secret };
    });
  }
}
