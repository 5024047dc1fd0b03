import { Injectable } from '@nestjs/common';
import type { ServiceClient } from '../domain/service-client.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';
import { loadServicePrincipal } from './load-service-principal.js';

@Injectable()
export class GetServicePrincipalUseCase {
  constructor(private readonly clients: ServiceClientRepository) {}

  execute(input: { principalId: string }): Promise<ServiceClient> {
    return loadServicePrincipal(this.clients, input.principalId);
  }
}
