import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Citizens can be disabled by an admin (no login codes, tokens refused through principal.disabled). */
export class CitizenStatus1767225800000 implements MigrationInterface {
  name = 'CitizenStatus1767225800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE citizens
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        ADD COLUMN disabled_at timestamptz,
        ADD CONSTRAINT citizens_disabled_at CHECK ((status = 'disabled') = (disabled_at IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE citizens DROP CONSTRAINT citizens_disabled_at, DROP COLUMN disabled_at, DROP COLUMN status');
  }
}
