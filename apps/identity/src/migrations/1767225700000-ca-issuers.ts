import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CA operators are bound to the issuing CAs they act for (`ca_issuers`, issued as the token claim
 * of the same name), as telecom operators are bound to their operator code. CA principals created
 * before this get an empty list: they can act for no issuer until an admin names theirs.
 */
export class CaIssuers1767225700000 implements MigrationInterface {
  name = 'CaIssuers1767225700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_clients ADD COLUMN ca_issuers text[]`);
    await q.query(`UPDATE service_clients SET ca_issuers = '{}' WHERE 'ca' = ANY (roles)`);
    await q.query(`
      ALTER TABLE service_clients ADD CONSTRAINT service_clients_ca_issuers
        CHECK (('ca' = ANY (roles)) = (ca_issuers IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_clients DROP CONSTRAINT service_clients_ca_issuers`);
    await q.query(`ALTER TABLE service_clients DROP COLUMN ca_issuers`);
  }
}
