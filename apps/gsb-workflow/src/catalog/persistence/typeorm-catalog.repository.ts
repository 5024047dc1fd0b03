import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import type { CatalogService } from '../domain/catalog-service.js';
import { CatalogRepository, type CatalogSearch } from '../domain/catalog.repository.js';

interface Row {
  code: string;
  title: string;
  description: string;
  provider_agency_id: string;
  environments: string[];
  upstream_url: string;
  status: string;
  version: number;
  created_at: Date;
  changed_at: Date;
}

const toService = (r: Row): CatalogService => ({
  code: r.code,
  title: r.title,
  description: r.description,
  providerAgencyId: r.provider_agency_id,
  environments: r.environments as CatalogService['environments'],
  upstreamUrl: r.upstream_url,
  status: r.status as CatalogService['status'],
  version: r.version,
  createdAt: new Date(r.created_at),
  changedAt: new Date(r.changed_at),
});

/** SQL of the service catalog. */
@Injectable()
export class TypeOrmCatalogRepository extends CatalogRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async find(code: string, lock = false): Promise<CatalogService | null> {
    const [r] = await this.m.query(`SELECT * FROM catalog_services WHERE code = $1${lock ? ' FOR UPDATE' : ''}`, [code]);
    return r ? toService(r) : null;
  }

  override async insert(s: CatalogService): Promise<boolean> {
    const rows = await this.m.query(
      `INSERT INTO catalog_services (code, title, description, provider_agency_id, environments, upstream_url, status, version, created_at, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (code) DO NOTHING RETURNING code`,
      [s.code, s.title, s.description, s.providerAgencyId, s.environments, s.upstreamUrl, s.status, s.version, s.createdAt, s.changedAt],
    );
    return rows.length === 1;
  }

  override async update(s: CatalogService): Promise<void> {
    await this.m.query(
      `UPDATE catalog_services SET title = $2, description = $3, provider_agency_id = $4, environments = $5, upstream_url = $6, status = $7, version = $8, changed_at = $9 WHERE code = $1`,
      [s.code, s.title, s.description, s.providerAgencyId, s.environments, s.upstreamUrl, s.status, s.version, s.changedAt],
    );
  }

  override async search(s: CatalogSearch): Promise<CatalogService[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (s.q) {
      const like = p(`%${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(code ILIKE ${like} OR title ILIKE ${like} OR description ILIKE ${like})`);
    }
    if (s.environment) where.push(`${p(s.environment)} = ANY(environments)`);
    if (s.providerAgencyId) where.push(`provider_agency_id = ${p(s.providerAgencyId)}`);
    if (s.status) where.push(`status = ${p(s.status)}`);
    if (s.after) where.push(`code > ${p(s.after)}`);
    const rows: Row[] = await this.m.query(
      `SELECT * FROM catalog_services ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT ${p(s.limit + 1)}`,
      params,
    );
    return rows.map(toService);
  }
}
