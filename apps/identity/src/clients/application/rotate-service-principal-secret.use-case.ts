import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { generateClientSecret } from '../domain/client-credentials.js';
import { SecretHasher } from '../domain/secret-hasher.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';
import type { IssuedCredentials } from './issued-credentials.js';
import { loadServicePrincipal } from './load-service-principal.js';

@Injectable()
export class RotateServicePrincipalSecretUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clients: ServiceClientRepository,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
  ) {}

  async execute(input: { principalId: string }): Promise<IssuedCredentials> {
    const secret = generateClientSecret();
    const hash = await this.hasher.hash(secret);
    return this.tx.run(async () => {
      const client = await loadServicePrincipal(this.clients, input.principalId);
      client.rotateSecret(hash, this.clock.now());
      await this.clients.update(client);
      return { clientId: client.clientId, clientSecret: secret };
    });
  }
}
