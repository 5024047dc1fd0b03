import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange log's verified checkpoint (one row): the last row a verification found sound, so
 * the next one recomputes only the rows after it (a full verification still starts at row 1).
 */
export class ExchangeLogCheckpoint1765100000000 implements MigrationInterface {
  name = 'ExchangeLogCheckpoint1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gsb_exchange_log_checkpoint (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL CHECK (seq >= 1),
        hash char(64) NOT NULL,
        verified_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE gsb_exchange_log_checkpoint');
  }
}
