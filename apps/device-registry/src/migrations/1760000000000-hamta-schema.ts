import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hamta's tables. IMEIs are stored as their 14-digit core in a bigint (the check digit is derived,
 * never stored), MSISDNs in international form (989121234567). Constraints back the rules:
 * one device per IMEI, one pending transfer per device, one decision per idempotency key,
 * one merged upload per file content.
 */
export class HamtaSchema1760000000000 implements MigrationInterface {
  name = 'HamtaSchema1760000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sightings (
        imei          bigint      NOT NULL CHECK (imei BETWEEN 0 AND 99999999999999),
        msisdn        varchar(12) NOT NULL CHECK (msisdn ~ '^989[0-9]{9}$'),
        imsi          varchar(15) NOT NULL CHECK (imsi ~ '^[0-9]{15}$'),
        operator_code varchar(16) NOT NULL,
        first_seen    date        NOT NULL,
        last_seen     date        NOT NULL,
        seen_days     date[]      NOT NULL,
        last_rat      varchar(8),
        CHECK (first_seen <= last_seen),
        PRIMARY KEY (imei, msisdn, imsi, operator_code)
      )`);

    await q.query(`
      CREATE TABLE subscriber_ownerships (
        msisdn        varchar(12) NOT NULL CHECK (msisdn ~ '^989[0-9]{9}$'),
        valid_from    timestamptz NOT NULL,
        national_code char(10),
        operator_code varchar(16) NOT NULL,
        valid_to      timestamptz,
        CHECK (valid_to IS NULL OR valid_to > valid_from),
        PRIMARY KEY (msisdn, valid_from)
      )`);

    await q.query(`
      CREATE TABLE devices (
        id                  uuid        PRIMARY KEY,
        owner_national_code char(10)    NOT NULL,
        msisdn              varchar(12) NOT NULL,
        stolen              boolean     NOT NULL DEFAULT false,
        blocked             boolean     NOT NULL DEFAULT false,
        block_reason        text,
        registered_at       timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        CHECK (blocked = (block_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX devices_owner_idx ON devices (owner_national_code, id)`);
    await q.query(`
      CREATE TABLE device_imeis (
        imei      bigint PRIMARY KEY CHECK (imei BETWEEN 0 AND 99999999999999),
        device_id uuid   NOT NULL REFERENCES devices (id),
        slot      smallint NOT NULL CHECK (slot BETWEEN 1 AND 4),
        UNIQUE (device_id, slot)
      )`);
    await q.query(`
      CREATE TABLE device_history (
        id         bigserial   PRIMARY KEY,
        device_id  uuid        NOT NULL REFERENCES devices (id),
        at         timestamptz NOT NULL,
        action     varchar(32) NOT NULL,
        actor      varchar(64) NOT NULL,
        visible_to char(10)[]  NOT NULL,
        details    jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX device_history_device_idx ON device_history (device_id, id)`);
    await q.query(`
      CREATE TABLE device_transfers (
        id                 uuid        PRIMARY KEY,
        device_id          uuid        NOT NULL REFERENCES devices (id),
        from_national_code char(10)    NOT NULL,
        to_national_code   char(10)    NOT NULL,
        status             varchar(16) NOT NULL CHECK (status IN ('pending', 'accepted', 'cancelled')),
        created_at         timestamptz NOT NULL,
        decided_at         timestamptz,
        CHECK (from_national_code <> to_national_code)
      )`);
    await q.query(`CREATE UNIQUE INDEX device_transfers_one_pending ON device_transfers (device_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX device_transfers_to_idx ON device_transfers (to_national_code, id)`);
    await q.query(`CREATE INDEX device_transfers_from_idx ON device_transfers (from_national_code, id)`);

    await q.query(`
      CREATE TABLE registrations (
        id              uuid        PRIMARY KEY,
        national_code   char(10)    NOT NULL,
        idempotency_key varchar(128),
        fingerprint     varchar(64) NOT NULL,
        msisdn          varchar(16) NOT NULL,
        imeis           text[]      NOT NULL,
        outcome         varchar(10) NOT NULL CHECK (outcome IN ('approved', 'rejected')),
        reasons         jsonb       NOT NULL,
        device_id       uuid        REFERENCES devices (id),
        created_at      timestamptz NOT NULL,
        CHECK ((outcome = 'approved') = (device_id IS NOT NULL)),
        UNIQUE (national_code, idempotency_key)
      )`);

    await q.query(`
      CREATE TABLE blacklist_changes (
        id     bigserial   PRIMARY KEY,
        imei   bigint      NOT NULL,
        change varchar(8)  NOT NULL CHECK (change IN ('added', 'removed')),
        reason varchar(32) NOT NULL,
        at     timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX blacklist_changes_at_idx ON blacklist_changes (at)`);

    await q.query(`
      CREATE TABLE operator_files (
        id            uuid        PRIMARY KEY,
        operator_code varchar(16) NOT NULL,
        kind          varchar(16) NOT NULL CHECK (kind IN ('sightings', 'subscribers')),
        sha256        char(64)    NOT NULL,
        rows_total    bigint      NOT NULL,
        rows_merged   bigint      NOT NULL,
        report        jsonb       NOT NULL,
        created_at    timestamptz NOT NULL,
        UNIQUE (operator_code, kind, sha256)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'operator_files',
      'blacklist_changes',
      'registrations',
      'device_transfers',
      'device_history',
      'device_imeis',
      'devices',
      'subscriber_ownerships',
      'sightings',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
