import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * gsb-workflow's tables: the service catalog, requests (service and connection) with their
 * letter files and history, agencies' connections, and access grants. The database backs the
 * rules in code: states and environments are checked, one live grant per (agency, service,
 * environment), one active connection per (agency, environment).
 */
export class GsbSchema1770000000000 implements MigrationInterface {
  name = 'GsbSchema1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalog_services (
        code varchar(100) PRIMARY KEY,
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        provider_agency_id varchar(100) NOT NULL,
        environments text[] NOT NULL CHECK (cardinality(environments) > 0 AND environments <@ ARRAY['GSB','PGSB']),
        upstream_url varchar(500) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('ACTIVE','SUSPENDED','RETIRED')),
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX catalog_services_provider_idx ON catalog_services (provider_agency_id, code)`);

    await q.query(`
      CREATE TABLE requests (
        id uuid PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('SERVICE','CONNECTION')),
        agency_id varchar(100) NOT NULL,
        created_by varchar(200) NOT NULL,
        state varchar(32) NOT NULL CHECK (state IN ('DRAFT','SUBMITTED','IN_REVIEW','RETURNED','PENDING_SECOND_APPROVAL','APPROVED','REJECTED','WITHDRAWN')),
        environment varchar(8) CHECK (environment IS NULL OR environment IN ('GSB','PGSB')),
        service_code varchar(100),
        provider_agency_id varchar(100),
        draft jsonb NOT NULL,
        letter_file jsonb,
        evaluation jsonb,
        priority varchar(8) CHECK (priority IS NULL OR priority IN ('LOW','NORMAL','HIGH','URGENT')),
        claimed_by varchar(200),
        claimed_at timestamptz,
        first_approved_by varchar(200),
        fixes jsonb,
        decision_reason text,
        submitted_at timestamptz,
        claim_due_at timestamptz,
        decision_due_at timestamptz,
        claim_escalated_at timestamptz,
        decision_escalated_at timestamptz,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX requests_agency_idx ON requests (agency_id, id DESC)`);
    await q.query(`CREATE INDEX requests_queue_idx ON requests (state, submitted_at, id) WHERE state IN ('SUBMITTED','IN_REVIEW','PENDING_SECOND_APPROVAL')`);
    await q.query(`CREATE INDEX requests_open_same_idx ON requests (agency_id, kind, service_code, environment) WHERE state IN ('SUBMITTED','IN_REVIEW','RETURNED','PENDING_SECOND_APPROVAL')`);
    await q.query(`CREATE INDEX requests_sla_idx ON requests (claim_due_at) WHERE claim_escalated_at IS NULL AND state = 'SUBMITTED'`);
    await q.query(`CREATE INDEX requests_decision_sla_idx ON requests (decision_due_at) WHERE decision_escalated_at IS NULL AND state IN ('SUBMITTED','IN_REVIEW','PENDING_SECOND_APPROVAL')`);

    await q.query(`
      CREATE TABLE request_letter_files (
        request_id uuid PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
        content_type varchar(100) NOT NULL,
        size integer NOT NULL CHECK (size > 0),
        sha256 char(64) NOT NULL,
        file_name varchar(255),
        bytes bytea NOT NULL,
        uploaded_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE request_history (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        actor varchar(200) NOT NULL,
        actor_role varchar(16) NOT NULL,
        action varchar(32) NOT NULL,
        from_state varchar(32),
        to_state varchar(32) NOT NULL,
        comment text,
        details jsonb
      )`);
    await q.query(`CREATE INDEX request_history_request_idx ON request_history (request_id, id)`);

    await q.query(`
      CREATE TABLE connections (
        agency_id varchar(100) NOT NULL,
        environment varchar(8) NOT NULL CHECK (environment IN ('GSB','PGSB')),
        status varchar(16) NOT NULL CHECK (status IN ('ACTIVE','SUSPENDED')),
        request_id uuid REFERENCES requests (id),
        ip_ranges text[] NOT NULL,
        credential jsonb NOT NULL,
        activated_at timestamptz NOT NULL,
        PRIMARY KEY (agency_id, environment)
      )`);

    await q.query(`
      CREATE TABLE grants (
        id uuid PRIMARY KEY,
        request_id uuid REFERENCES requests (id),
        consumer_agency_id varchar(100) NOT NULL,
        provider_agency_id varchar(100) NOT NULL,
        service_code varchar(100) NOT NULL,
        environment varchar(8) NOT NULL CHECK (environment IN ('GSB','PGSB')),
        status varchar(16) NOT NULL CHECK (status IN ('ACTIVE','SUSPENDED','REVOKED')),
        quota_per_minute integer CHECK (quota_per_minute IS NULL OR quota_per_minute > 0),
        quota_per_day integer CHECK (quota_per_day IS NULL OR quota_per_day > 0),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz CHECK (valid_until IS NULL OR valid_until > valid_from),
        version integer NOT NULL,
        reason text,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX grants_live_key ON grants (consumer_agency_id, service_code, environment) WHERE status <> 'REVOKED'`);
    await q.query(`CREATE INDEX grants_provider_idx ON grants (provider_agency_id, id DESC)`);
    await q.query(`CREATE INDEX grants_consumer_idx ON grants (consumer_agency_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['grants', 'connections', 'request_history', 'request_letter_files', 'requests', 'catalog_services']) await q.query(`DROP TABLE ${t}`);
  }
}
