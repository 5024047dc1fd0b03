import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox listing's first page as an index-only scan: the visible entries of a recipient,
 * newest first, carrying every entry column the listing returns (the notice's subject and sender
 * come from the notice row). Replaces the plain (recipient_id, created_at, notice_id) index,
 * which only the listing read, and which sent every row of a page to the heap.
 */
export class KarpooshehInboxListingIndex1770000000100 implements MigrationInterface {
  name = 'KarpooshehInboxListingIndex1770000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX inbox_listing ON inbox_entries (recipient_id, created_at DESC, notice_id DESC)
         INCLUDE (state, read_at, archived_at, starred, acknowledged_at) WHERE state IN ('DELIVERED','VIEWED','EFFECTIVE')`,
    );
    await q.query('DROP INDEX inbox_by_recipient');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX inbox_by_recipient ON inbox_entries (recipient_id, created_at DESC, notice_id DESC)');
    await q.query('DROP INDEX inbox_listing');
  }
}
