import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { ServiceEnv, toBoolean, toList } from '@darvazeh/config';

/** Karpoosheh's configuration (validated at boot; defaults are safe for embedded mode). */
export class KarpooshehEnv extends ServiceEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  override PORT: number = 3003;

  /** JSON bodies: a 1,000,000-recipient send is ~15 MB of JSON. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  override BODY_LIMIT_BYTES: number = 32 * 1024 * 1024;

  /** `production` requires https callback URLs (and no dev notifier sink in logs). */
  @IsIn(['development', 'production'])
  KARPOOSHEH_MODE: 'development' | 'production' = 'development';

  /** Recipients in one notice (JSON list or CSV upload). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5_000_000)
  MAX_RECIPIENTS_PER_NOTICE: number = 1_000_000;

  /** Up to this many recipients a send is delivered in the request (201); above it, a batch (202). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SYNC_FANOUT_LIMIT: number = 100;

  /** Recipients written per fan-out transaction. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(200_000)
  FANOUT_CHUNK_SIZE: number = 20_000;

  /**
   * Events of bulk (202) batches; direct sends always publish every transition per recipient.
   * `per-batch` (default): batch.accepted, batch.completed with the counts, FAILED per recipient
   * (the sender must act on each); who got it when stays queryable per recipient
   * (GET /notices/{id}/recipients?state=, receipts, audit). Meets a 1,000,000-recipient fan-out
   * in < 60 s. `per-recipient`: also one DELIVERED event per recipient (a million events for a
   * national send: ~4x slower, see the README's benchmarks).
   */
  @IsIn(['per-recipient', 'per-batch'])
  BATCH_DELIVERED_EVENTS: 'per-recipient' | 'per-batch' = 'per-batch';

  /** `projection`: citizens must be known from identity.principals, else FAILED; `any`: every valid national code has an inbox. */
  @IsIn(['projection', 'any'])
  RECIPIENT_DIRECTORY: 'projection' | 'any' = 'projection';

  /** Days after delivery an unopened notice is deemed delivered (EFFECTIVE). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  EFFECTIVE_AFTER_DAYS: number = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  EFFECTIVE_JOB_INTERVAL_SECONDS: number = 300;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MAX_ATTACHMENT_BYTES: number = 10 * 1024 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MAX_NOTICE_ATTACHMENT_BYTES: number = 30 * 1024 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  MAX_ATTACHMENTS_PER_NOTICE: number = 10;

  @Transform(toList)
  @IsString({ each: true })
  ATTACHMENT_MIME_TYPES: string[] = ['application/pdf', 'image/png', 'image/jpeg'];

  /** Where attachment bytes live: `postgres` (PostgreSQL large objects, the default) or an S3-compatible bucket. */
  @IsIn(['postgres', 's3'])
  ATTACHMENT_STORE: 'postgres' | 's3' = 'postgres';

  /** S3 endpoint (MinIO, Ceph, …); empty = AWS for the region. */
  @IsOptional()
  @IsString()
  ATTACHMENT_S3_ENDPOINT?: string;

  @ValidateIf((e: KarpooshehEnv) => e.ATTACHMENT_STORE === 's3')
  @IsString()
  @IsNotEmpty()
  ATTACHMENT_S3_BUCKET?: string;

  @IsString()
  ATTACHMENT_S3_REGION: string = 'us-east-1';

  /** Key prefix inside the bucket (objects are `<prefix>sha256/<hex>`). */
  @IsOptional()
  @IsString()
  ATTACHMENT_S3_PREFIX?: string;

  /** Path-style URLs (`endpoint/bucket/key`), as most S3-compatible servers need. */
  @Transform(toBoolean)
  @IsBoolean()
  ATTACHMENT_S3_FORCE_PATH_STYLE: boolean = false;

  /** Static credentials; unset = the SDK's default chain (environment, web identity, instance role). */
  @IsOptional()
  @IsString()
  ATTACHMENT_S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  ATTACHMENT_S3_SECRET_ACCESS_KEY?: string;

  /** SDK request checksums: `WHEN_REQUIRED` (default; S3-compatible servers often refuse the CRC32 trailers) or `WHEN_SUPPORTED`. */
  @IsIn(['WHEN_REQUIRED', 'WHEN_SUPPORTED'])
  ATTACHMENT_S3_CHECKSUMS: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED' = 'WHEN_REQUIRED';

  /** CSV recipient uploads: body limit of that route. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MAX_RECIPIENT_FILE_BYTES: number = 64 * 1024 * 1024;

  /** New-notice notifications sent per second at most (the queue drains at this rate). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NOTIFY_RATE_PER_SECOND: number = 50;

  @Transform(toBoolean)
  @IsBoolean()
  NOTIFY_ENABLED: boolean = true;

  /** Webhook retries: first delay, cap, give-up horizon, request timeout. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  WEBHOOK_BASE_DELAY_MS: number = 5_000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  WEBHOOK_MAX_DELAY_MS: number = 3_600_000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  WEBHOOK_GIVE_UP_AFTER_MS: number = 24 * 3_600_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  WORKER_POLL_MS: number = 500;

  /** Base URL of identity as the browser sees it (the pages' sign-in calls); empty = same origin. */
  @IsOptional()
  @IsString()
  IDENTITY_PUBLIC_URL?: string;
}
