import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OcspSchema1746000000000 implements MigrationInterface {
  name = 'OcspSchema1746000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table issuers (
        id uuid primary key,
        alias text not null unique check (alias ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        certificate bytea not null unique,
        responder_certificate bytea,
        signing_key_ref text not null check (length(signing_key_ref) > 0),
        crl_key_ref text,
        created_at timestamptz not null default now()
      )`);
    await q.query(`
      create table certificate_statuses (
        issuer_id uuid not null references issuers(id),
        serial varchar(42) not null check (serial ~ '^[0-9a-f]+$' and serial !~ '^0'),
        state text not null check (state in ('good', 'revoked', 'on_hold')),
        not_after timestamptz,
        revoked_at timestamptz,
        reason smallint check (reason in (0,1,2,3,4,5,6,8,9,10)),
        invalidity_date timestamptz,
        updated_at timestamptz not null,
        primary key (issuer_id, serial),
        check ((state = 'good') = (revoked_at is null)),
        check (state <> 'on_hold' or reason = 6)
      )`);
    await q.query(`create index certificate_statuses_revoked on certificate_statuses (issuer_id) where state <> 'good'`);
    await q.query(`
      create table ocsp_responses (
        cert_id bytea primary key,
        issuer_id uuid not null references issuers(id),
        serial varchar(42) not null,
        response bytea not null,
        status text not null check (status in ('good', 'revoked', 'unknown')),
        produced_at timestamptz not null,
        this_update timestamptz not null,
        next_update timestamptz not null check (next_update > this_update),
        status_version timestamptz not null
      )`);
    await q.query(`create index ocsp_responses_certificate on ocsp_responses (issuer_id, serial)`);
    await q.query(`
      create table crls (
        issuer_id uuid not null references issuers(id),
        crl_number bigint not null check (crl_number > 0),
        this_update timestamptz not null,
        next_update timestamptz not null check (next_update > this_update),
        revoked_count integer not null check (revoked_count >= 0),
        der bytea not null,
        primary key (issuer_id, crl_number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table crls');
    await q.query('drop table ocsp_responses');
    await q.query('drop table certificate_statuses');
    await q.query('drop table issuers');
  }
}
