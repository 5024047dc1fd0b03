import type { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';

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

/**
 * Runs a `COPY … TO STDOUT` on a pooled connection of its own and returns the data as a stream.
 * The connection goes back to the pool when the stream ends. A stream destroyed before its end
 * (a download abandoned half-way) takes the connection with it: a COPY cannot be stopped and the
 * connection reused, and an unread COPY would hold it forever.
 */
export async function copyOut(dataSource: DataSource, copySql: string): Promise<Readable> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  const stream = client.query(copyTo(copySql));
  stream.once('end', () => release());
  stream.once('error', (err: Error) => release(err));
  stream.once('close', () => release(new Error('COPY stream closed before its end')));
  return stream;
}
