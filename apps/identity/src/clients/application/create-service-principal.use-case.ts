import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { generateClientId, generateClientSecret } from '../domain/client-credentials.js';
import { ClientIdTakenError } from '../domain/client.errors.js';
import { SecretHasher } from '../domain/secret-hasher.js';
import { ServiceClient } from '../domain/service-client.js';
import { ServiceClientRepository } from '../domain/service-client.repository.js';
import type { IssuedCredentials } from './issued-credentials.js';

export interface CreateServicePrincipalInput {
  name: string;
  roles: string[];
  operatorCode?: string | null;
  /** Issuer aliases a `ca` principal acts for. */
  caIssuers?: string[] | null;
  scopes?: string[];
  /** Chosen id (bootstrap admin); generated when absent. */
  clientId?: string;
  /** Chosen secret (bootstrap admin from config); generated when absent. */
  clientSecret?: string;
}

/** Creates an operator / CA / expert / admin principal with client credentials. */
@Injectable()
export class CreateServicePrincipalUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clients: ServiceClientRepository,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
  ) {}

  async execute(input: CreateServicePrincipalInput): Promise<{ principal: ServiceClient; credentials: IssuedCredentials }> {
    const secret = input.clientSecret ?? generateClientSecret();
    const prefix = input.roles.find((r) => ['operator', 'ca', 'expert', 'admin'].includes(r)) ?? 'principal';
    const principal = ServiceClient.servicePrincipal({
      id: uuidv7(),
      clientId: input.clientId ?? generateClientId(prefix),
      secretHash: await this.hasher.hash(secret),
      displayName: input.name,
      roles: input.roles,
      operatorCode: input.operatorCode ?? null,
      caIssuers: input.caIssuers ?? null,
      scopes: input.scopes,
      now: this.clock.now(),
    });
    await this.tx.run(async () => {
      if (await this.clients.findByClientId(principal.clientId)) throw new ClientIdTakenError(principal.clientId);
      await this.clients.insert(principal);
    });
    return { principal, credentials: { clientId: principal.clientId, clientSecret: secret } };
  }
}
