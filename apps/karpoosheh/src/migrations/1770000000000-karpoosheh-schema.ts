import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Karpoosheh's tables. The inbox is one row per (notice, recipient): listing reads the
 * (recipient_id, created_at DESC, notice_id DESC) index with a keyset cursor; unread counts read a
 * partial index of unopened visible entries; the effective-date job reads a partial index of
 * DELIVERED entries by delivery time.
 */
export class KarpooshehSchema1770000000000 implements MigrationInterface {
  name = 'KarpooshehSchema1770000000000';

  async up(q: QueryRunner): Promise<void> {
    // UUIDv7 (time-ordered) ids for rows and events; PostgreSQL < 18 has no built-in.
    await q.query(`
      CREATE FUNCTION karpoosheh_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
        SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
          substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
      $$`);
    await q.query(`
      CREATE TABLE agencies (
        agency_id uuid PRIMARY KEY,
        name text NOT NULL,
        client_id text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE citizens (
        national_code varchar(10) PRIMARY KEY CHECK (national_code ~ '^[0-9]{10}$'),
        citizen_id uuid NOT NULL,
        registered_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE senders (
        agency_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('REQUESTED','GRANTED','SUSPENDED')),
        reason text,
        callback_url text,
        callback_secret text,
        requested_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE mandates (
        mandate_id uuid PRIMARY KEY,
        company_id varchar(11) NOT NULL CHECK (company_id ~ '^[0-9]{11}$'),
        representative_national_code varchar(10) NOT NULL CHECK (representative_national_code ~ '^[0-9]{10}$'),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX mandates_active ON mandates (representative_national_code, company_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE notices (
        notice_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
        body text NOT NULL,
        body_format text NOT NULL CHECK (body_format IN ('text','html')),
        category text NOT NULL,
        due_date date,
        recipient_count integer NOT NULL CHECK (recipient_count >= 1),
        system_notice boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        subject_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', subject)) STORED,
        audit_seq bigint NOT NULL DEFAULT 0,
        audit_head char(64) NOT NULL DEFAULT repeat('0', 64)
      )`);
    await q.query(`CREATE INDEX notices_agency ON notices (agency_id, created_at DESC, notice_id)`);
    await q.query(`
      CREATE TABLE batches (
        batch_id uuid PRIMARY KEY,
        notice_id uuid NOT NULL UNIQUE REFERENCES notices,
        agency_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','RUNNING','COMPLETED','CANCELLED')),
        total integer NOT NULL,
        processed integer NOT NULL DEFAULT 0,
        delivered integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        next_chunk integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    // Recipients waiting for the fan-out, in chunks (a chunk is deleted once its entries are written).
    await q.query(`
      CREATE TABLE batch_chunks (
        batch_id uuid NOT NULL REFERENCES batches,
        chunk_no integer NOT NULL,
        recipients text[] NOT NULL,
        PRIMARY KEY (batch_id, chunk_no)
      )`);
    await q.query(`CREATE INDEX batches_pending ON batches (created_at) WHERE status IN ('PENDING','RUNNING')`);
    await q.query(`
      CREATE TABLE inbox_entries (
        notice_id uuid NOT NULL REFERENCES notices,
        recipient_id varchar(11) NOT NULL,
        state text NOT NULL CHECK (state IN ('ACCEPTED','DELIVERED','VIEWED','EFFECTIVE','CANCELLED','FAILED')),
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        read_at timestamptz,
        read_by varchar(10),
        effective_at timestamptz,
        cancelled_at timestamptz,
        failed_reason text,
        acknowledged_at timestamptz,
        archived_at timestamptz,
        starred boolean NOT NULL DEFAULT false,
        PRIMARY KEY (notice_id, recipient_id)
      )`);
    await q.query(`CREATE INDEX inbox_by_recipient ON inbox_entries (recipient_id, created_at DESC, notice_id DESC)`);
    await q.query(`CREATE INDEX inbox_unread ON inbox_entries (recipient_id) WHERE read_at IS NULL AND state IN ('DELIVERED','EFFECTIVE')`);
    await q.query(`CREATE INDEX inbox_due_effective ON inbox_entries (delivered_at) WHERE state = 'DELIVERED'`);
    await q.query(`
      CREATE TABLE audit_log (
        notice_id uuid NOT NULL REFERENCES notices,
        seq bigint NOT NULL,
        recipient_id varchar(11),
        action text NOT NULL,
        actor text NOT NULL,
        detail jsonb,
        at text NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        PRIMARY KEY (notice_id, seq)
      )`);
    // Append-only: the database refuses edits and deletes of audit entries.
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TABLE attachments (
        sha256 char(64) PRIMARY KEY,
        mime text NOT NULL,
        size integer NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE attachment_uploads (
        agency_id uuid NOT NULL,
        sha256 char(64) NOT NULL REFERENCES attachments,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agency_id, sha256)
      )`);
    await q.query(`
      CREATE TABLE notice_attachments (
        notice_id uuid NOT NULL REFERENCES notices,
        position smallint NOT NULL,
        sha256 char(64) NOT NULL REFERENCES attachments,
        filename text NOT NULL,
        PRIMARY KEY (notice_id, position)
      )`);
    await q.query(`
      CREATE TABLE attachment_downloads (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        notice_id uuid NOT NULL,
        recipient_id varchar(11) NOT NULL,
        sha256 char(64) NOT NULL,
        reader varchar(10) NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        agency_id uuid NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        response_status smallint NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agency_id, key)
      )`);
    await q.query(`
      CREATE TABLE notification_jobs (
        notice_id uuid PRIMARY KEY REFERENCES notices,
        after_recipient varchar(11) NOT NULL DEFAULT '',
        done boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agency_id uuid NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','DELIVERED','PARKED')),
        attempts integer NOT NULL DEFAULT 0,
        first_attempt_at timestamptz,
        next_attempt_at timestamptz NOT NULL,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX webhook_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE TABLE receipt_keys (
        kid text PRIMARY KEY,
        private_jwk jsonb NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['receipt_keys', 'webhook_deliveries', 'notification_jobs', 'idempotency_keys', 'attachment_downloads', 'notice_attachments', 'attachment_uploads', 'attachments', 'audit_log', 'inbox_entries', 'batch_chunks', 'batches', 'notices', 'mandates', 'senders', 'citizens', 'agencies']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query('DROP FUNCTION audit_log_append_only()');
    await q.query('DROP FUNCTION karpoosheh_uuidv7()');
  }
}
