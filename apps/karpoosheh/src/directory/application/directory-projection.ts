import { Inject, Injectable } from '@nestjs/common';
import type { AgencyDisabledV1, AgencyRegisteredV1, CitizenRegisteredV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';

/** The local projection of identity's agencies and citizens (no HTTP calls to identity). */
@Injectable()
export class DirectoryProjection {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {}

  async agencyRegistered(e: AgencyRegisteredV1): Promise<void> {
    await this.tx
      .manager()
      .query(
        `INSERT INTO agencies (agency_id, name, client_id, disabled, updated_at) VALUES ($1, $2, $3, false, $4)
         ON CONFLICT (agency_id) DO UPDATE SET name = EXCLUDED.name, client_id = EXCLUDED.client_id, updated_at = EXCLUDED.updated_at`,
        [e.agencyId, e.name, e.clientId, e.registeredAt],
      );
  }

  async agencyDisabled(e: AgencyDisabledV1): Promise<void> {
    await this.tx.manager().query('UPDATE agencies SET disabled = true, updated_at = $2 WHERE agency_id = $1', [e.agencyId, e.disabledAt]);
  }

  async citizenRegistered(e: CitizenRegisteredV1): Promise<void> {
    await this.tx
      .manager()
      .query('INSERT INTO citizens (national_code, citizen_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT (national_code) DO NOTHING', [e.nationalCode, e.citizenId, e.registeredAt]);
  }
}
