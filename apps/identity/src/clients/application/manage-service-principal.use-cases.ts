import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { generateClientSecret } from '../domain/client-credentials.js';
import { ServiceClientNotFoundError } from '../domain/client.errors.js';
import { SecretHasher } from '../domain/secret-hasher.js';
import type { ServiceClient } from '../domain/service-client.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';
import type { IssuedCredentials } from './issued-credentials.js';

/** Loads a service principal by id; agency clients are managed through their agency instead. */
async function loadPrincipal(clients: ServiceClientRepository, id: string): Promise<ServiceClient> {
  const client = await clients.findById(id);
  if (!client || client.agencyId !== null) throw new ServiceClientNotFoundError(id);
  return client;
}

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
      const client = await loadPrincipal(this.clients, input.principalId);
      client.rotateSecret(hash, this.clock.now());
      await this.clients.update(client);
      return { clientId: client.clientId, clientSecret: secret };
    });
  }
}

@Injectable()
export class DisableServicePrincipalUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clients: ServiceClientRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { principalId: string }): Promise<ServiceClient> {
    return this.tx.run(async () => {
      const client = await loadPrincipal(this.clients, input.principalId);
      client.disable(this.clock.now());
      await this.clients.update(client);
      return client;
    });
  }
}

@Injectable()
export class GetServicePrincipalUseCase {
  constructor(private readonly clients: ServiceClientRepository) {}

  execute(input: { principalId: string }): Promise<ServiceClient> {
    return loadPrincipal(this.clients, input.principalId);
  }
}

@Injectable()
export class ListServicePrincipalsUseCase {
  constructor(private readonly clients: ServiceClientRepository) {}

  /** Fetches limit + 1 rows so the caller can tell whether another page exists. */
  execute(input: { limit: number; after?: string }): Promise<ServiceClient[]> {
    return this.clients.listServicePrincipals({ limit: input.limit + 1, after: input.after });
  }
}
