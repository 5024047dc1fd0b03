import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { AttachmentStore } from '../domain/attachment-store.js';

/** Attachments as bytea rows keyed by SHA-256: a second upload of the same bytes writes nothing. */
@Injectable()
export class PgAttachmentStore extends AttachmentStore {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  async put(sha256: string, mime: string, bytes: Uint8Array): Promise<boolean> {
    const rows: unknown[] = await this.tx
      .manager()
      .query('INSERT INTO attachments (sha256, mime, size, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING RETURNING sha256', [sha256, mime, bytes.length, Buffer.from(bytes)]);
    return rows.length > 0;
  }

  async get(sha256: string): Promise<{ mime: string; bytes: Buffer } | null> {
    const rows: { mime: string; content: Buffer }[] = await this.tx.manager().query('SELECT mime, content FROM attachments WHERE sha256 = $1', [sha256]);
    return rows[0] ? { mime: rows[0].mime, bytes: rows[0].content } : null;
  }

  async exists(sha256: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager().query('SELECT 1 FROM attachments WHERE sha256 = $1', [sha256]);
    return rows.length > 0;
  }
}
