import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Streamed uploads (issue 12 §1): with ATTACHMENT_STORE=postgres new bytes go into a PostgreSQL
 * large object written chunk by chunk inside the upload transaction (a refusal rolls it back);
 * `content` (bytea) stays readable for rows stored before.
 */
export class AttachmentsLargeObjects1770000000600 implements MigrationInterface {
  name = 'AttachmentsLargeObjects1770000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE attachments ADD COLUMN content_oid oid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('UPDATE attachments SET content = lo_get(content_oid) WHERE content_oid IS NOT NULL');
    await q.query('SELECT lo_unlink(content_oid) FROM attachments WHERE content_oid IS NOT NULL');
    await q.query('ALTER TABLE attachments DROP COLUMN content_oid');
  }
}
