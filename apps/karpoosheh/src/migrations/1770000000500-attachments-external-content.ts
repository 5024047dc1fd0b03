import type { MigrationInterface, QueryRunner } from 'typeorm';

/** With ATTACHMENT_STORE=s3 the bytes live in the bucket and the row is only the catalogue entry. */
export class AttachmentsExternalContent1770000000500 implements MigrationInterface {
  name = 'AttachmentsExternalContent1770000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE attachments ALTER COLUMN content DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM attachments WHERE content IS NULL AND sha256 NOT IN (SELECT sha256 FROM attachment_uploads UNION SELECT sha256 FROM notice_attachments)');
    await q.query('ALTER TABLE attachments ALTER COLUMN content SET NOT NULL');
  }
}
