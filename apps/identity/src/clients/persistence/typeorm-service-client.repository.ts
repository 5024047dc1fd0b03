import { Injectable } from '@nestjs/common';
import { In, IsNull, MoreThan } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import type { Role } from '@darvazeh/core';
import { uniqueViolation } from '../../shared/unique-violation.js';
import { ClientIdTakenError } from '../domain/client.errors.js';
import { ServiceClient, type ServiceClientStatus } from '../domain/service-client.js';
import { ServiceClientRepository, type ServiceClientPageQuery } from '../domain/service-client.repository.js';
import { ServiceClientEntity } from './service-client.entity.js';

function toDomain(e: ServiceClientEntity): ServiceClient {
  return ServiceClient.restore({
    ...e,
    roles: e.roles as Role[],
    status: e.status as ServiceClientStatus,
  });
}

function toEntity(c: ServiceClient): ServiceClientEntity {
  return Object.assign(new ServiceClientEntity(), c.toProps());
}

@Injectable()
export class TypeOrmServiceClientRepository extends ServiceClientRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(ServiceClientEntity);
  }

  async findById(id: string): Promise<ServiceClient | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toDomain(e) : null;
  }

  async findByClientId(clientId: string): Promise<ServiceClient | null> {
    const e = await this.repo.findOneBy({ clientId });
    return e ? toDomain(e) : null;
  }

  async findByAgencyId(agencyId: string): Promise<ServiceClient | null> {
    const e = await this.repo.findOneBy({ agencyId });
    return e ? toDomain(e) : null;
  }

  async findByAgencyIds(agencyIds: string[]): Promise<ServiceClient[]> {
    if (agencyIds.length === 0) return [];
    return (await this.repo.findBy({ agencyId: In(agencyIds) })).map(toDomain);
  }

  async insert(client: ServiceClient): Promise<void> {
    try {
      await this.repo.insert(toEntity(client));
    } catch (error) {
      if (uniqueViolation(error) === 'service_clients_client_id_key') throw new ClientIdTakenError(client.clientId);
      throw error;
    }
  }

  async update(client: ServiceClient): Promise<void> {
    await this.repo.save(toEntity(client));
  }

  async listServicePrincipals(query: ServiceClientPageQuery): Promise<ServiceClient[]> {
    const rows = await this.repo.find({
      where: query.after ? { agencyId: IsNull(), id: MoreThan(query.after) } : { agencyId: IsNull() },
      order: { id: 'ASC' },
      take: query.limit,
    });
    return rows.map(toDomain);
  }
}
