import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity's tables. The database backs the rules in code: digit patterns, one client per
 * agency, role/claim consistency, a single active signing key, OTP attempt bounds.
 */
export class IdentitySchema1767225600000 implements MigrationInterface {
  name = 'IdentitySchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        national_id char(11) NOT NULL CHECK (national_id ~ '^[0-9]{11}$'),
        parent_ministry text NOT NULL CHECK (length(btrim(parent_ministry)) BETWEEN 1 AND 200),
        type text NOT NULL CHECK (type IN ('ministry', 'government_organization', 'state_company',
          'public_institution', 'municipality', 'judiciary', 'other')),
        status text NOT NULL CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL,
        disabled_at timestamptz,
        CONSTRAINT agencies_national_id_key UNIQUE (national_id),
        CONSTRAINT agencies_disabled_at_matches_status CHECK ((status = 'disabled') = (disabled_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE service_clients (
        id uuid PRIMARY KEY,
        client_id text NOT NULL CHECK (client_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        secret_hash text NOT NULL CHECK (secret_hash LIKE 'scrypt$%'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        roles text[] NOT NULL CHECK (cardinality(roles) >= 1
          AND roles <@ ARRAY['agency', 'operator', 'ca', 'expert', 'admin']::text[]),
        scopes text[] NOT NULL DEFAULT '{}',
        agency_id uuid REFERENCES agencies (id),
        operator_code text CHECK (operator_code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
        status text NOT NULL CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL,
        secret_rotated_at timestamptz NOT NULL,
        disabled_at timestamptz,
        CONSTRAINT service_clients_client_id_key UNIQUE (client_id),
        CONSTRAINT service_clients_agency_id_key UNIQUE (agency_id),
        CONSTRAINT service_clients_agency_role CHECK (('agency' = ANY (roles)) = (agency_id IS NOT NULL)),
        CONSTRAINT service_clients_agency_only_role CHECK (agency_id IS NULL OR roles = ARRAY['agency']::text[]),
        CONSTRAINT service_clients_operator_code CHECK (('operator' = ANY (roles)) = (operator_code IS NOT NULL)),
        CONSTRAINT service_clients_disabled_at_matches_status CHECK ((status = 'disabled') = (disabled_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE citizens (
        id uuid PRIMARY KEY,
        national_code char(10) NOT NULL CHECK (national_code ~ '^[0-9]{10}$' AND national_code !~ '^(.)\\1{9}$'),
        mobile char(11) NOT NULL CHECK (mobile ~ '^09[0-9]{9}$'),
        created_at timestamptz NOT NULL,
        CONSTRAINT citizens_national_code_key UNIQUE (national_code)
      )`);
    await q.query(`
      CREATE TABLE otp_challenges (
        citizen_id uuid PRIMARY KEY REFERENCES citizens (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        sent_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0),
        max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
        consumed_at timestamptz,
        CONSTRAINT otp_challenges_attempts_bounded CHECK (attempts <= max_attempts),
        CONSTRAINT otp_challenges_expiry_after_send CHECK (expires_at > sent_at)
      )`);
    await q.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY CHECK (length(kid) BETWEEN 8 AND 128),
        alg text NOT NULL CHECK (alg = 'ES256'),
        public_jwk jsonb NOT NULL CHECK (NOT (public_jwk ? 'd')),
        private_key_ciphertext text,
        status text NOT NULL CHECK (status IN ('active', 'retiring', 'retired')),
        created_at timestamptz NOT NULL,
        deactivated_at timestamptz,
        retire_after timestamptz,
        retired_at timestamptz,
        CONSTRAINT signing_keys_private_key_until_retired CHECK ((status = 'retired') = (private_key_ciphertext IS NULL)),
        CONSTRAINT signing_keys_retiring_has_deadline CHECK (status = 'active' OR retire_after IS NOT NULL)
      )`);
    // At most one active key: two replicas rotating at once cannot both win.
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE signing_keys, otp_challenges, citizens, service_clients, agencies');
  }
}
