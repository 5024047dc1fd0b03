import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { AttachmentStore, type AttachmentWrite, type StoredContent } from '../domain/attachment-store.js';

/** S3's smallest multipart part (but the last): what one upload holds in memory at most. */
const PART_BYTES = 5 * 1024 * 1024;

/**
 * Attachment bytes in an S3-compatible bucket under `<prefix>sha256/<hex>`; the catalogue row
 * (sha256, mime, size — what notices and uploads join) stays in PostgreSQL with no content.
 * Content addressed: a HEAD first, and the PUT carries `If-None-Match: *`, so the same bytes are
 * written once even when two uploads race (a server without conditional writes just rewrites the
 * identical bytes).
 *
 * Streamed uploads: a file that fits in one part (5 MiB) is PUT straight to its final key once
 * hashed; a larger one goes as a multipart upload to `<prefix>incoming/<uuid>` part by part as it
 * arrives, and only once complete and hashed is it copied to `sha256/<hex>` (then the temporary
 * object deleted). A refusal aborts the multipart upload (or deletes the temporary object), so
 * `sha256/<hex>` only ever names whole, checked bytes. Hand-written over the plain commands rather
 * than `@aws-sdk/lib-storage` (not installed) because the copy-to-final-key step is ours anyway.
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

  async begin(): Promise<AttachmentWrite> {
    const temp = `${this.prefix}incoming/${randomUUID()}`;
    let uploadId: string | undefined;
    const parts: { PartNumber: number; ETag: string }[] = [];
    let held: Buffer[] = [];
    let heldSize = 0;
    let completed = false;
    let finished = false;
    const sendPart = async () => {
      const body = Buffer.concat(held, heldSize);
      held = [];
      heldSize = 0;
      uploadId ??= (await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: temp }))).UploadId!;
      const PartNumber = parts.length + 1;
      const res = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: temp, UploadId: uploadId, PartNumber, Body: body, ContentLength: body.length }));
      parts.push({ PartNumber, ETag: res.ETag! });
    };
    return {
      write: async (chunk) => {
        held.push(chunk);
        heldSize += chunk.length;
        if (heldSize >= PART_BYTES) await sendPart();
      },
      commit: async (sha256, mime, size) => {
        let wrote = false;
        if (uploadId) {
          if (heldSize > 0) await sendPart();
          await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: temp, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
          completed = true;
          if (!(await this.objectExists(sha256))) {
            await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: this.key(sha256), CopySource: `${this.bucket}/${temp.split('/').map(encodeURIComponent).join('/')}`, ContentType: mime, MetadataDirective: 'REPLACE' }));
            wrote = true;
          }
          await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temp }));
          finished = true;
        } else {
          finished = true;
          wrote = await this.putWhole(sha256, mime, Buffer.concat(held, heldSize));
          held = [];
        }
        const rows: unknown[] = await this.tx
          .manager()
          .query('INSERT INTO attachments (sha256, mime, size, content) VALUES ($1, $2, $3, NULL) ON CONFLICT (sha256) DO NOTHING RETURNING sha256', [sha256, mime, size]);
        return wrote || rows.length > 0;
      },
      abort: async () => {
        held = [];
        if (finished || !uploadId) return;
        finished = true;
        if (completed) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temp }));
        else await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: temp, UploadId: uploadId }));
      },
    };
  }

  private async putWhole(sha256: string, mime: string, bytes: Buffer): Promise<boolean> {
    if (await this.objectExists(sha256)) return false;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(sha256), Body: bytes, ContentLength: bytes.length, ContentType: mime, IfNoneMatch: '*' }));
      return true;
    } catch (error) {
      // 412: another upload stored these bytes between the HEAD and the PUT.
      if (!(error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412)) throw error;
      return false;
    }
  }

  async open(sha256: string): Promise<StoredContent | null> {
    const rows: { mime: string; size: number }[] = await this.tx.manager().query('SELECT mime, size FROM attachments WHERE sha256 = $1', [sha256]);
    if (!rows[0]) return null;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      // In Node the body is the HTTP response stream: piped to the client, never collected.
      return { mime: rows[0].mime, size: res.ContentLength ?? rows[0].size, body: res.Body as Readable };
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
