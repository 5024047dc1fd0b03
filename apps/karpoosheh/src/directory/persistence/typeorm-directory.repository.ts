import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { DirectoryRepository, MandateRepository } from '../domain/directory.repository.js';

@Injectable()
export class TypeOrmDirectoryRepository extends DirectoryRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async upsertAgency(a: { agencyId: string; name: string; clientId: string; at: string }): Promise<void> {
    await this.tx.manager().query(
      `INSERT INTO agencies (agency_id, name, client_id, disabled, updated_at) VALUES ($1, $2, $3, false, $4)
       ON CONFLICT (agency_id) DO UPDATE SET name = EXCLUDED.name, client_id = EXCLUDED.client_id, updated_at = EXCLUDED.updated_at`,
      [a.agencyId, a.name, a.clientId, a.at],
    );
  }

  override async disableAgency(agencyId: string, at: string): Promise<void> {
    await this.tx.manager().query('UPDATE agencies SET disabled = true, updated_at = $2 WHERE agency_id = $1', [agencyId, at]);
  }

  override async insertCitizen(c: { nationalCode: string; citizenId: string; at: string }): Promise<void> {
    await this.tx
      .manager()
      .query('INSERT INTO citizens (national_code, citizen_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT (national_code) DO NOTHING', [c.nationalCode, c.citizenId, c.at]);
  }
}

@Injectable()
export class TypeOrmMandateRepository extends MandateRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async insert(m: { mandateId: string; companyId: string; representative: string; createdBy: string; at: Date }): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager().query(
      `INSERT INTO mandates (mandate_id, company_id, representative_national_code, created_by, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING mandate_id`,
      [m.mandateId, m.companyId, m.representative, m.createdBy, m.at],
    );
    return rows.length > 0;
  }

  override async revoke(mandateId: string, at: Date): Promise<{ company_id: string; representative_national_code: string } | null> {
    const rows: { company_id: string; representative_national_code: string }[] = await this.tx.manager().query(
      'WITH u AS (UPDATE mandates SET revoked_at = $2 WHERE mandate_id = $1 AND revoked_at IS NULL RETURNING company_id, representative_national_code) SELECT * FROM u',
      [mandateId, at],
    );
    return rows[0] ?? null;
  }

  override async activeOf(representative: string): Promise<{ company_id: string; mandate_id: string }[]> {
    return this.tx
      .manager()
      .query('SELECT company_id, mandate_id FROM mandates WHERE representative_national_code = $1 AND revoked_at IS NULL ORDER BY company_id', [representative]);
  }

  override async isActive(representative: string, companyId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx
      .manager()
      .query('SELECT 1 FROM mandates WHERE representative_national_code = $1 AND company_id = $2 AND revoked_at IS NULL', [representative, companyId]);
    return rows.length > 0;
  }
}
