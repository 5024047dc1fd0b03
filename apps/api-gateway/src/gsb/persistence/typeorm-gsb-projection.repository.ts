import type { EntityManager } from 'typeorm';
import type { GsbEnvironment } from '@darvazeh/core';
import type { TransactionRunner } from '@darvazeh/database';
import type { CatalogEntry, Grant } from '../domain/access-decision.js';
import { GsbProjectionRepository } from '../domain/gsb-projection.repository.js';

interface ServiceRow {
  service_code: string;
  title: string;
  provider_agency_id: string;
  environments: string[];
  upstream_url: string;
  status: CatalogEntry['status'];
  version: number;
}

interface GrantRow {
  grant_id: string;
  consumer_agency_id: string;
  provider_agency_id: string;
  service_code: string;
  environment: GsbEnvironment;
  status: Grant['status'];
  quota_per_minute: number | null;
  quota_per_day: number | null;
  valid_from: Date;
  valid_until: Date | null;
  version: number;
}

/** SQL of the gateway's catalog and grant projection, in the caller's ambient transaction. */
export class TypeOrmGsbProjectionRepository extends GsbProjectionRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async upsertService(e: CatalogEntry, changedAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO gsb_services (service_code, title, provider_agency_id, environments, upstream_url, status, version, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (service_code) DO UPDATE SET title = EXCLUDED.title, provider_agency_id = EXCLUDED.provider_agency_id,
         environments = EXCLUDED.environments, upstream_url = EXCLUDED.upstream_url, status = EXCLUDED.status,
         version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
       WHERE gsb_services.version < EXCLUDED.version OR (gsb_services.version = 0 AND EXCLUDED.version = 0)
       RETURNING service_code`,
      [e.serviceCode, e.title, e.providerAgencyId, e.environments, e.upstreamUrl, e.status, e.version, changedAt],
    );
    return rows.length > 0;
  }

  override async upsertGrant(g: Grant, changedAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO gsb_grants (grant_id, consumer_agency_id, provider_agency_id, service_code, environment, status,
         quota_per_minute, quota_per_day, valid_from, valid_until, version, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (grant_id) DO UPDATE SET consumer_agency_id = EXCLUDED.consumer_agency_id,
         provider_agency_id = EXCLUDED.provider_agency_id, service_code = EXCLUDED.service_code,
         environment = EXCLUDED.environment, status = EXCLUDED.status, quota_per_minute = EXCLUDED.quota_per_minute,
         quota_per_day = EXCLUDED.quota_per_day, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,
         version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
       WHERE gsb_grants.version < EXCLUDED.version
       RETURNING grant_id`,
      [g.grantId, g.consumerAgencyId, g.providerAgencyId, g.serviceCode, g.environment, g.status, g.quotaPerMinute, g.quotaPerDay, g.validFrom, g.validUntil, g.version, changedAt],
    );
    return rows.length > 0;
  }

  override async allServices(): Promise<CatalogEntry[]> {
    const rows: ServiceRow[] = await this.m.query('SELECT * FROM gsb_services');
    return rows.map((r) => ({
      serviceCode: r.service_code,
      title: r.title,
      providerAgencyId: r.provider_agency_id,
      environments: r.environments as GsbEnvironment[],
      upstreamUrl: r.upstream_url,
      status: r.status,
      version: r.version,
    }));
  }

  override async allGrants(): Promise<Grant[]> {
    const rows: GrantRow[] = await this.m.query('SELECT * FROM gsb_grants');
    return rows.map((r) => ({
      grantId: r.grant_id,
      consumerAgencyId: r.consumer_agency_id,
      providerAgencyId: r.provider_agency_id,
      serviceCode: r.service_code,
      environment: r.environment,
      status: r.status,
      quotaPerMinute: r.quota_per_minute,
      quotaPerDay: r.quota_per_day,
      validFrom: new Date(r.valid_from),
      validUntil: r.valid_until ? new Date(r.valid_until) : null,
      version: r.version,
    }));
  }
}
