import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { AttachmentUploads } from '../domain/attachment-uploads.js';

@Injectable()
export class PgAttachmentUploads extends AttachmentUploads {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async record(agencyId: string, sha256: string): Promise<void> {
    await this.tx.manager().query('INSERT INTO attachment_uploads (agency_id, sha256) VALUES ($1, $2) ON CONFLICT DO NOTHING', [agencyId, sha256]);
  }

  override async sizesUploadedBy(agencyId: string, sha256s: readonly string[]): Promise<Map<string, number>> {
    const rows: { sha256: string; size: number }[] = await this.tx
      .manager()
      .query(`SELECT a.sha256, a.size FROM attachment_uploads u JOIN attachments a USING (sha256) WHERE u.agency_id = $1 AND u.sha256 = ANY($2::char(64)[])`, [agencyId, sha256s]);
    return new Map(rows.map((r) => [r.sha256, r.size]));
  }
}
