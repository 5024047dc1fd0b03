import { Injectable } from '@nestjs/common';
import { ClientIdTakenError } from '../domain/client.errors.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';
import { CreateServicePrincipalUseCase } from './create-service-principal.use-case.js';

/**
 * First start: creates the admin principal named by BOOTSTRAP_ADMIN_CLIENT_ID with the
 * configured secret, only if no client with that id exists. Never updates an existing one, so
 * a rotated or disabled bootstrap admin is not silently revived by a restart.
 */
@Injectable()
export class EnsureBootstrapAdminUseCase {
  constructor(
    private readonly clients: ServiceClientRepository,
    private readonly create: CreateServicePrincipalUseCase,
  ) {}

  async execute(input: { clientId: string; clientSecret: string }): Promise<'created' | 'exists'> {
    if (await this.clients.findByClientId(input.clientId)) return 'exists';
    try {
      await this.create.execute({
        name: 'Bootstrap administrator',
        roles: ['admin'],
        clientId: input.clientId,
        clientSecret: input.clientSecret,
      });
      return 'created';
    } catch (error) {
      // Another replica created it between our check and insert.
      if (error instanceof ClientIdTakenError) return 'exists';
      throw error;
    }
  }
}
