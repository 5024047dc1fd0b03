import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each stored pre-signed response records the signing profile it was signed under (issue 17).
 * Rows from before have none: the empty string never matches, so they are signed again at start.
 */
export class PresignedResponseProfile1765000000000 implements MigrationInterface {
  name = 'PresignedResponseProfile1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table ocsp_responses add column profile text not null default ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table ocsp_responses drop column profile');
  }
}
