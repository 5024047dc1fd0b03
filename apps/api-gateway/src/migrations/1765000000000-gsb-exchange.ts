import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's GSB projection (catalog and grants from Kafka, highest version kept) and the
 * exchange log: append-only (a trigger refuses UPDATE and DELETE), each row chained to the
 * previous one by SHA-256.
 */
export class GsbExchange1765000000000 implements MigrationInterface {
  name = 'GsbExchange1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gsb_services (
        service_code varchar(128) PRIMARY KEY,
        title varchar(200) NOT NULL,
        provider_agency_id uuid NOT NULL,
        environments text[] NOT NULL,
        upstream_url varchar(2000) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'RETIRED')),
        -- 0: a seeded entry of the platform's own services (any catalog event replaces it)
        version integer NOT NULL CHECK (version >= 0),
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE gsb_grants (
        grant_id uuid PRIMARY KEY,
        consumer_agency_id uuid NOT NULL,
        provider_agency_id uuid NOT NULL,
        service_code varchar(128) NOT NULL,
        environment varchar(8) NOT NULL CHECK (environment IN ('GSB', 'PGSB')),
        status varchar(16) NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
        quota_per_minute integer CHECK (quota_per_minute > 0),
        quota_per_day integer CHECK (quota_per_day > 0),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz,
        version integer NOT NULL CHECK (version >= 1),
        changed_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX gsb_grants_lookup ON gsb_grants (consumer_agency_id, service_code, environment)');
    await q.query(`
      CREATE TABLE gsb_exchange_log (
        seq bigint PRIMARY KEY CHECK (seq >= 1),
        at timestamptz NOT NULL,
        request_id varchar(128) NOT NULL,
        consumer_agency_id uuid,
        provider_agency_id uuid,
        service_code varchar(128) NOT NULL,
        environment varchar(8) NOT NULL,
        method varchar(16) NOT NULL,
        path varchar(2048) NOT NULL,
        status integer NOT NULL,
        outcome varchar(8) NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
        deny_code varchar(64),
        grant_id uuid,
        request_bytes bigint NOT NULL,
        response_bytes bigint NOT NULL,
        duration_ms double precision NOT NULL,
        request_sha256 char(64) NOT NULL,
        response_sha256 char(64) NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      )`);
    await q.query('CREATE INDEX gsb_exchange_log_consumer ON gsb_exchange_log (consumer_agency_id, seq)');
    await q.query('CREATE INDEX gsb_exchange_log_provider ON gsb_exchange_log (provider_agency_id, seq)');
    await q.query('CREATE INDEX gsb_exchange_log_at ON gsb_exchange_log (at)');
    await q.query(`
      CREATE FUNCTION gsb_exchange_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'gsb_exchange_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER gsb_exchange_log_append_only BEFORE UPDATE OR DELETE ON gsb_exchange_log
      FOR EACH ROW EXECUTE FUNCTION gsb_exchange_log_append_only()`);
    await q.query(`
      CREATE TABLE gsb_chain_heads (
        seq bigint PRIMARY KEY,
        hash char(64) NOT NULL,
        jws text NOT NULL,
        signed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE gateway_signing_keys (
        kid varchar(64) PRIMARY KEY,
        private_pkcs8 text NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE gsb_usage_summaries (
        hour_start timestamptz PRIMARY KEY,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE gsb_usage_summaries');
    await q.query('DROP TABLE gateway_signing_keys');
    await q.query('DROP TABLE gsb_chain_heads');
    await q.query('DROP TABLE gsb_exchange_log');
    await q.query('DROP FUNCTION gsb_exchange_log_append_only');
    await q.query('DROP TABLE gsb_grants');
    await q.query('DROP TABLE gsb_services');
  }
}
