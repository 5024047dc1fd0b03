import type { DataSource, QueryRunner } from 'typeorm';
import type { PoolClient } from 'pg';

/**
 * A dedicated connection for COPY work: TypeORM's query runner hands out the raw pg client, which
 * pg-copy-streams needs. The caller owns BEGIN/COMMIT on it.
 */
export async function withRawClient<T>(
  dataSource: DataSource,
  work: (client: PoolClient, runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    return await work(client, runner);
  } finally {
    await runner.release();
  }
}
