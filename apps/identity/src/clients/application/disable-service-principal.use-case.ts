import { Injectable } from '@nestjs/common';
import { PRINCIPAL_DISABLED_V1, type PrincipalDisabledV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { Clock } from '../../shared/clock.js';
import type { ServiceClient } from '../domain/service-client.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';
import { loadServicePrincipal } from './load-service-principal.js';

/**
 * No new tokens for the principal, and `principal.disabled` in the same transaction: every
 * service refuses its tokens already issued as soon as it consumes the event.
 */
@Injectable()
export class DisableServicePrincipalUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clients: ServiceClientRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute(input: { principalId: string }): Promise<ServiceClient> {
    return this.tx.run(async (manager) => {
      const now = this.clock.now();
      const client = await loadServicePrincipal(this.clients, input.principalId);
      client.disable(now);
      await this.clients.update(client);
      const data: PrincipalDisabledV1 = { principalId: client.id, subject: client.clientId, kind: 'service_client', at: now.toISOString() };
      await this.outbox.append(manager, [{ type: PRINCIPAL_DISABLED_V1, subject: client.id, data, time: now }]);
      return client;
    });
  }
}
