import { Injectable } from '@nestjs/common';
import type { ServiceClient } from '../domain/service-client.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';

@Injectable()
export class ListServicePrincipalsUseCase {
  constructor(private readonly clients: ServiceClientRepository) {}

  /** Fetches limit + 1 rows so the caller can tell whether another page exists. */
  execute(input: { limit: number; after?: string }): Promise<ServiceClient[]> {
    return this.clients.listServicePrincipals({ limit: input.limit + 1, after: input.after });
  }
}
