import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { AttachmentStore, type AttachmentWrite, type StoredContent } from '../domain/attachment-store.js';

/** Bytes per lo_put / lo_get round trip: few round trips, little memory. */
const CHUNK = 1024 * 1024;

/**
 * Attachments in PostgreSQL, keyed by SHA-256: the bytes in a large object written chunk by
 * chunk inside the upload transaction (a refusal rolls it back with everything else), the row
 * `attachments` pointing at it (`content_oid`); rows stored before streaming keep `content`
 * (bytea) and are read the same chunked way. A second upload of the same bytes drops its object.
 */
@Injectable()
export class PgAttachmentStore extends AttachmentStore {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(DataSource) private readonly db: DataSource,
  ) {
    super();
  }

  async begin(): Promise<AttachmentWrite> {
    const m = this.tx.manager();
    const [{ oid }]: { oid: number }[] = await m.query('SELECT lo_create(0) AS oid');
    let offset = 0;
    let held: Buffer[] = [];
    let heldSize = 0;
    let done = false;
    const flush = async () => {
      if (heldSize === 0) return;
      const bytes = Buffer.concat(held, heldSize);
      held = [];
      heldSize = 0;
      await m.query('SELECT lo_put($1, $2, $3)', [oid, offset, bytes]);
      offset += bytes.length;
    };
    return {
      write: async (chunk) => {
        held.push(chunk);
        heldSize += chunk.length;
        if (heldSize >= CHUNK) await flush();
      },
      commit: async (sha256, mime, size) => {
        await flush();
        done = true;
        const rows: unknown[] = await m.query('INSERT INTO attachments (sha256, mime, size, content, content_oid) VALUES ($1, $2, $3, NULL, $4) ON CONFLICT (sha256) DO NOTHING RETURNING sha256', [sha256, mime, size, oid]);
        if (rows.length === 0) await m.query('SELECT lo_unlink($1)', [oid]);
        return rows.length > 0;
      },
      abort: async () => {
        if (done) return;
        done = true;
        held = [];
        // The transaction rolls back anyway (the object goes with it); unlinking also covers a caller that commits.
        await m.query('SELECT lo_unlink($1)', [oid]).catch(() => undefined);
      },
    };
  }

  async open(sha256: string): Promise<StoredContent | null> {
    const rows: { mime: string; size: number; content_oid: number | null }[] = await this.tx.manager().query('SELECT mime, size, content_oid FROM attachments WHERE sha256 = $1', [sha256]);
    const row = rows[0];
    if (!row) return null;
    // Read after the opening transaction has ended, so through the pool (one statement per chunk).
    const sql = row.content_oid != null ? 'SELECT lo_get(content_oid, $2, $3) AS b FROM attachments WHERE sha256 = $1' : 'SELECT substring(content FROM $2::int + 1 FOR $3) AS b FROM attachments WHERE sha256 = $1';
    const db = this.db;
    let offset = 0;
    const body = new Readable({
      highWaterMark: CHUNK,
      read() {
        if (offset >= row.size) return void this.push(null);
        const len = Math.min(CHUNK, row.size - offset);
        db.query(sql, [sha256, offset, len]).then(
          (r: { b: Buffer }[]) => {
            offset += r[0].b.length;
            this.push(r[0].b);
            if (r[0].b.length === 0) this.push(null);
          },
          (error: Error) => this.destroy(error),
        );
      },
    });
    return { mime: row.mime, size: row.size, body };
  }

  async exists(sha256: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager().query('SELECT 1 FROM attachments WHERE sha256 = $1', [sha256]);
    return rows.length > 0;
  }
}
