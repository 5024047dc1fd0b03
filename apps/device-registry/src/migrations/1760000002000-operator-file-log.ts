import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operators' file intake log: a rejected file is now recorded too (its report, nothing of
 * its rows), so an operator — and the regulator reading over its shoulder — can look back at what
 * was sent and why a day's file did not count. Only merged files take part in duplicate
 * detection: the same rejected content sent again is judged again (the thresholds may have
 * changed since), while merged content sent again stays a no-op.
 */
export class OperatorFileLog1760000002000 implements MigrationInterface {
  name = 'OperatorFileLog1760000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE operator_files ADD COLUMN outcome varchar(16) NOT NULL DEFAULT 'merged' CHECK (outcome IN ('merged', 'rejected'))`);
    await q.query(`ALTER TABLE operator_files ALTER COLUMN outcome DROP DEFAULT`);
    await q.query(`ALTER TABLE operator_files DROP CONSTRAINT operator_files_operator_code_kind_sha256_key`);
    await q.query(`CREATE UNIQUE INDEX operator_files_merged_content_key ON operator_files (operator_code, kind, sha256) WHERE outcome = 'merged'`);
    // The log's read path: one operator's files, newest first (ids are UUIDv7, time-ordered).
    await q.query(`CREATE INDEX operator_files_operator_id_idx ON operator_files (operator_code, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX operator_files_operator_id_idx`);
    await q.query(`DELETE FROM operator_files WHERE outcome = 'rejected'`);
    await q.query(`DROP INDEX operator_files_merged_content_key`);
    await q.query(`ALTER TABLE operator_files ADD CONSTRAINT operator_files_operator_code_kind_sha256_key UNIQUE (operator_code, kind, sha256)`);
    await q.query(`ALTER TABLE operator_files DROP COLUMN outcome`);
  }
}
