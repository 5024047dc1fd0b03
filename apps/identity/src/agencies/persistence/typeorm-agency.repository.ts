import { Injectable } from '@nestjs/common';
import { MoreThan } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { uniqueViolation } from '../../shared/unique-violation.js';
import { Agency, type AgencyStatus, type AgencyType } from '../domain/agency.js';
import { AgencyNationalIdTakenError } from '../domain/agency.errors.js';
import { AgencyRepository, type AgencyPageQuery } from '../domain/agency.repository.js';
import { AgencyEntity } from './agency.entity.js';

function toDomain(e: AgencyEntity): Agency {
  return Agency.restore({
    id: e.id,
    name: e.name,
    nationalId: e.nationalId,
    parentMinistry: e.parentMinistry,
    type: e.type as AgencyType,
    status: e.status as AgencyStatus,
    createdAt: e.createdAt,
    disabledAt: e.disabledAt,
  });
}

function toEntity(a: Agency): AgencyEntity {
  return Object.assign(new AgencyEntity(), a.toProps());
}

@Injectable()
export class TypeOrmAgencyRepository extends AgencyRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(AgencyEntity);
  }

  async findById(id: string): Promise<Agency | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toDomain(e) : null;
  }

  async findByNationalId(nationalId: string): Promise<Agency | null> {
    const e = await this.repo.findOneBy({ nationalId });
    return e ? toDomain(e) : null;
  }

  async insert(agency: Agency): Promise<void> {
    try {
      await this.repo.insert(toEntity(agency));
    } catch (error) {
      if (uniqueViolation(error) === 'agencies_national_id_key') throw new AgencyNationalIdTakenError(agency.nationalId);
      throw error;
    }
  }

  async update(agency: Agency): Promise<void> {
    await this.repo.save(toEntity(agency));
  }

  async list(query: AgencyPageQuery): Promise<Agency[]> {
    const rows = await this.repo.find({
      where: query.after ? { id: MoreThan(query.after) } : {},
      order: { id: 'ASC' },
      take: query.limit,
    });
    return rows.map(toDomain);
  }
}
