import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { TransactionRunner } from '@darvazeh/database';

/**
 * Named statements on the service's own pg pool. node-postgres prepares a named statement once
 * per connection, so later calls skip parsing and planning (a send's single statement is ten
 * CTEs: re-planning it on every call cost more than running it); TypeORM's `query()` cannot
 * name statements. Inside a `TransactionRunner.run` the statement runs on that transaction's
 * connection; outside one, on any pooled connection, autocommitted.
 */
export class PgStatements {
  private readonly pool: Pool;
  private readonly names = new Map<string, string>();

  constructor(
    dataSource: DataSource,
    private readonly tx: TransactionRunner,
  ) {
    // TypeORM's PostgresDriver keeps its pg.Pool as `master` (as libs/http's rate limiter reads it).
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<R extends QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    const config = { name: this.nameOf(text), text, values };
    const runner = this.tx.manager().queryRunner;
    if (runner && !runner.isReleased && runner.isTransactionActive) {
      const client = (await runner.connect()) as PoolClient;
      return (await client.query<R>(config)).rows;
    }
    return (await this.pool.query<R>(config)).rows;
  }

  /** One name per distinct text (pg refuses a name reused for another text on a connection). */
  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) {
      name = `kp_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
