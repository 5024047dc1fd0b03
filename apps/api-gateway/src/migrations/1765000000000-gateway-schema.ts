import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewaySchema1765000000000 implements MigrationInterface {
  name = 'GatewaySchema1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE revoked_principals (
        kind varchar(16) NOT NULL CHECK (kind IN ('agency', 'principal')),
        key varchar(255) NOT NULL,
        disabled boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (kind, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE revoked_principals');
  }
}
