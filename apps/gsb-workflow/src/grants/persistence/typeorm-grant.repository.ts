import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import type { Grant } from '../domain/grant.js';
import { GrantRepository, type GrantListFilter } from '../domain/grant.repository.js';

const toGrant = (r: Record<string, unknown>): Grant => ({
  id: r.id as string,
  requestId: (r.request_id as string | null) ?? null,
  consumerAgencyId: r.consumer_agency_id as string,
  providerAgencyId: r.provider_agency_id as string,
  serviceCode: r.service_code as string,
  environment: r.environment as Grant['environment'],
  status: r.status as Grant['status'],
  quotaPerMinute: (r.quota_per_minute as number | null) ?? null,
  quotaPerDay: (r.quota_per_day as number | null) ?? null,
  validFrom: new Date(r.valid_from as string),
  validUntil: r.valid_until ? new Date(r.valid_until as string) : null,
  version: r.version as number,
  changedAt: new Date(r.changed_at as string),
  reason: (r.reason as string | null) ?? null,
});

/** SQL of access grants. */
@Injectable()
export class TypeOrmGrantRepository extends GrantRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async insert(g: Grant): Promise<void> {
    await this.m.query(
      `INSERT INTO grants (id, request_id, consumer_agency_id, provider_agency_id, service_code, environment, status, quota_per_minute, quota_per_day, valid_from, valid_until, version, reason, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [g.id, g.requestId, g.consumerAgencyId, g.providerAgencyId, g.serviceCode, g.environment, g.status, g.quotaPerMinute, g.quotaPerDay, g.validFrom, g.validUntil, g.version, g.reason, g.changedAt],
    );
  }

  override async save(g: Grant): Promise<void> {
    await this.m.query(`UPDATE grants SET status = $2, version = $3, reason = $4, changed_at = $5 WHERE id = $1`, [g.id, g.status, g.version, g.reason, g.changedAt]);
  }

  override async get(id: string, lock = false): Promise<Grant | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const [r] = await this.m.query(`SELECT * FROM grants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r ? toGrant(r) : null;
  }

  override async list(f: GrantListFilter): Promise<Grant[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.agencyId !== null) {
      const a = p(f.agencyId);
      where.push(`(consumer_agency_id = ${a} OR provider_agency_id = ${a})`);
    }
    if (f.status) where.push(`status = ${p(f.status)}`);
    if (f.serviceCode) where.push(`service_code = ${p(f.serviceCode)}`);
    if (f.afterId) where.push(`id < ${p(f.afterId)}`);
    const rows = await this.m.query(`SELECT * FROM grants ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p(f.limit + 1)}`, params);
    return rows.map(toGrant);
  }
}
