import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform tables every service needs: the transactional outbox and the idempotent
 * consumer's processed-event ledger. Timestamped early so it runs before any app migration.
 */
export class MessagingTables1000000000000 implements MigrationInterface {
  name = 'MessagingTables1000000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // `id` is the relay's order: identity values follow insert order, and rows of one
    // aggregate are inserted under that aggregate's row lock, so per-key order is kept.
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL CHECK (topic <> ''),
        key text NOT NULL CHECK (key <> ''),
        type text NOT NULL CHECK (type <> ''),
        source text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE processed_events (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE processed_events');
    await queryRunner.query('DROP TABLE outbox');
  }
}

/**
 * processed_events is pruned by age (ProcessedEventsJanitor). Rows arrive in processed_at order,
 * so a BRIN index — a few pages for billions of rows — finds the old block ranges without the
 * write cost of a B-tree on the consumers' hot path.
 */
export class ProcessedEventsAgeIndex1000000000001 implements MigrationInterface {
  name = 'ProcessedEventsAgeIndex1000000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX processed_events_processed_at_brin ON processed_events USING brin (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX processed_events_processed_at_brin');
  }
}

/** Add to every app's migrations list, first: `migrations: [...messagingMigrations, ...appMigrations]`. */
export const messagingMigrations = [MessagingTables1000000000000, ProcessedEventsAgeIndex1000000000001];
