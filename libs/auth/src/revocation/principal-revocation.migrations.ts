import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The denylist every service keeps of principals identity disabled (libs/auth revocation).
 * One row per token subject with its latest state; `changed_at` is identity's time of the
 * change, so a late, older event never overrides a newer one.
 */
export class PrincipalRevocations1000000000100 implements MigrationInterface {
  name = 'PrincipalRevocations1000000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE principal_revocations (
        subject text PRIMARY KEY CHECK (subject <> ''),
        principal_id text NOT NULL,
        kind text NOT NULL,
        disabled boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX principal_revocations_disabled ON principal_revocations (subject) WHERE disabled');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE principal_revocations');
  }
}

/** Add to the app's migrations list: `[...messagingMigrations, ...principalRevocationMigrations, ...own]`. */
export const principalRevocationMigrations = [PrincipalRevocations1000000000100];
