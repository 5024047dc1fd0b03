import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { AttachmentStore } from '../domain/attachment-store.js';

/**
 * Attachment bytes in an S3-compatible bucket under `<prefix>sha256/<hex>`; the catalogue row
 * (sha256, mime, size — what notices and uploads join) stays in PostgreSQL with no content.
 * Content addressed: a HEAD first, and the PUT carries `If-None-Match: *`, so the same bytes are
 * written once even when two uploads race (a server without conditional writes just rewrites the
 * identical bytes).
 */
@Injectable()
export class S3AttachmentStore extends AttachmentStore implements OnApplicationShutdown {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(KarpooshehEnv) env: KarpooshehEnv,
  ) {
    super();
    this.bucket = env.ATTACHMENT_S3_BUCKET!;
    this.prefix = env.ATTACHMENT_S3_PREFIX ?? '';
    this.client = new S3Client({
      endpoint: env.ATTACHMENT_S3_ENDPOINT || undefined,
      region: env.ATTACHMENT_S3_REGION,
      forcePathStyle: env.ATTACHMENT_S3_FORCE_PATH_STYLE,
      credentials: env.ATTACHMENT_S3_ACCESS_KEY_ID ? { accessKeyId: env.ATTACHMENT_S3_ACCESS_KEY_ID, secretAccessKey: env.ATTACHMENT_S3_SECRET_ACCESS_KEY ?? '' } : undefined,
      // Since 2025 the SDK adds CRC32 checksums (aws-chunked trailers) to every request by default;
      // many S3-compatible servers reject or mis-store them. Our own SHA-256 already names the bytes.
      requestChecksumCalculation: env.ATTACHMENT_S3_CHECKSUMS,
      responseChecksumValidation: env.ATTACHMENT_S3_CHECKSUMS,
    });
  }

  key(sha256: string): string {
    return `${this.prefix}sha256/${sha256}`;
  }

  async put(sha256: string, mime: string, bytes: Uint8Array): Promise<boolean> {
    let wrote = false;
    if (!(await this.objectExists(sha256))) {
      try {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(sha256), Body: bytes, ContentLength: bytes.length, ContentType: mime, IfNoneMatch: '*' }));
        wrote = true;
      } catch (error) {
        // 412: another upload stored these bytes between the HEAD and the PUT.
        if (!(error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412)) throw error;
      }
    }
    const rows: unknown[] = await this.tx
      .manager()
      .query('INSERT INTO attachments (sha256, mime, size, content) VALUES ($1, $2, $3, NULL) ON CONFLICT (sha256) DO NOTHING RETURNING sha256', [sha256, mime, bytes.length]);
    return wrote || rows.length > 0;
  }

  async get(sha256: string): Promise<{ mime: string; bytes: Buffer } | null> {
    const rows: { mime: string }[] = await this.tx.manager().query('SELECT mime FROM attachments WHERE sha256 = $1', [sha256]);
    if (!rows[0]) return null;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return { mime: rows[0].mime, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager().query('SELECT 1 FROM attachments WHERE sha256 = $1', [sha256]);
    return rows.length > 0 && (await this.objectExists(sha256));
  }

  private async objectExists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
