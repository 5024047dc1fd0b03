import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15/10 for identity:
 * - mobiles in the one canonical MSISDN form of @darvazeh/core (`989XXXXXXXXX`, as device-registry
 *   and the operators' feeds have them; people see `09…`);
 * - the account's OTP failure count and lock, carried from one code to the next;
 * - the Shahkar projection (operators' subscriber records) registration checks against;
 * - operator codes from the one registry: `MTN_IRANCELL` becomes `IRANCELL`.
 */
export class CitizenSafeguards1767225900000 implements MigrationInterface {
  name = 'CitizenSafeguards1767225900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE citizens DROP CONSTRAINT IF EXISTS citizens_mobile_check`);
    await q.query(`ALTER TABLE citizens ALTER COLUMN mobile TYPE char(12) USING ('98' || substr(mobile, 2))`);
    await q.query(`ALTER TABLE citizens ADD CONSTRAINT citizens_mobile_check CHECK (mobile ~ '^989[0-9]{9}$')`);
    await q.query(`
      ALTER TABLE otp_challenges
        ADD COLUMN failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        ADD COLUMN locked_until timestamptz`);
    await q.query(`
      CREATE TABLE subscriber_ownerships (
        msisdn char(12) NOT NULL CHECK (msisdn ~ '^989[0-9]{9}$'),
        valid_from timestamptz NOT NULL,
        national_code char(10) CHECK (national_code ~ '^[0-9]{10}$'),
        operator_code text NOT NULL,
        valid_to timestamptz,
        PRIMARY KEY (msisdn, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await q.query(`UPDATE service_clients SET operator_code = 'IRANCELL' WHERE operator_code = 'MTN_IRANCELL'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE service_clients SET operator_code = 'MTN_IRANCELL' WHERE operator_code = 'IRANCELL'`);
    await q.query('DROP TABLE subscriber_ownerships');
    await q.query('ALTER TABLE otp_challenges DROP COLUMN locked_until, DROP COLUMN failures');
    await q.query('ALTER TABLE citizens DROP CONSTRAINT citizens_mobile_check');
    await q.query(`ALTER TABLE citizens ALTER COLUMN mobile TYPE char(11) USING ('0' || substr(mobile, 3))`);
    await q.query(`ALTER TABLE citizens ADD CONSTRAINT citizens_mobile_check CHECK (mobile ~ '^09[0-9]{9}$')`);
  }
}
