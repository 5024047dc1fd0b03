import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { ConnectionRepository, type Connection } from '../domain/connection.repository.js';

/** SQL of agencies' connections to GSB/PGSB (steps 4–5 read them). */
@Injectable()
export class TypeOrmConnectionRepository extends ConnectionRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async activeEnvironments(agencyId: string): Promise<string[]> {
    const rows = await this.m.query(`SELECT environment FROM connections WHERE agency_id = $1 AND status = 'ACTIVE' ORDER BY environment`, [agencyId]);
    return rows.map((r: { environment: string }) => r.environment);
  }

  override async list(agencyId: string | null): Promise<Connection[]> {
    const rows = await this.m.query(
      `SELECT * FROM connections ${agencyId === null ? '' : 'WHERE agency_id = $1'} ORDER BY agency_id, environment LIMIT 1000`,
      agencyId === null ? [] : [agencyId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      agencyId: r.agency_id,
      environment: r.environment,
      status: r.status,
      requestId: r.request_id,
      ipRanges: r.ip_ranges,
      credential: r.credential,
      activatedAt: new Date(r.activated_at as string),
    }));
  }

  override async activate(c: Connection): Promise<void> {
    await this.m.query(
      `INSERT INTO connections (agency_id, environment, status, request_id, ip_ranges, credential, activated_at) VALUES ($1, $2, 'ACTIVE', $3, $4, $5, $6)
       ON CONFLICT (agency_id, environment) DO UPDATE SET status = 'ACTIVE', request_id = EXCLUDED.request_id, ip_ranges = EXCLUDED.ip_ranges,
         credential = EXCLUDED.credential, activated_at = EXCLUDED.activated_at`,
      [c.agencyId, c.environment, c.requestId, c.ipRanges, JSON.stringify(c.credential), c.activatedAt],
    );
  }
}
