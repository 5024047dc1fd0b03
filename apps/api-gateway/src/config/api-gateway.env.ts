import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { ServiceEnv, toList } from '@darvazeh/config';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/**
 * The gateway's own variables. Upstream URLs default to the catalog ports on loopback (the
 * embedded start); docker-compose and k8s set the service DNS names.
 */
export class ApiGatewayEnv extends ServiceEnv {
  @IsUrl(URL_OPTIONS)
  UPSTREAM_IDENTITY_URL: string = 'http://127.0.0.1:3001';

  @IsUrl(URL_OPTIONS)
  UPSTREAM_DEVICE_REGISTRY_URL: string = 'http://127.0.0.1:3002';

  @IsUrl(URL_OPTIONS)
  UPSTREAM_KARPOOSHEH_URL: string = 'http://127.0.0.1:3003';

  @IsUrl(URL_OPTIONS)
  UPSTREAM_GSB_WORKFLOW_URL: string = 'http://127.0.0.1:3004';

  @IsUrl(URL_OPTIONS)
  UPSTREAM_OCSP_RESPONDER_URL: string = 'http://127.0.0.1:3005';

  /** Time to the upstream's response headers before 504 (routes that take files allow longer). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  UPSTREAM_TIMEOUT_MS: number = 10_000;

  /** Time for uploads (sighting/subscriber files) and other bulk routes. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  UPSTREAM_BULK_TIMEOUT_MS: number = 120_000;

  /** Keep-alive connections per upstream. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  UPSTREAM_CONNECTIONS: number = 64;

  /** Attempts after the first for idempotent methods whose connection failed before an answer. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  UPSTREAM_RETRIES: number = 1;

  /** Default body limit of proxied routes (bulk routes: GATEWAY_BULK_BODY_LIMIT_BYTES). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  GATEWAY_BODY_LIMIT_BYTES: number = 1024 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  GATEWAY_BULK_BODY_LIMIT_BYTES: number = 512 * 1024 * 1024;

  /** All request headers together (names and values); larger → 431 before any upstream. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65_536)
  GATEWAY_MAX_HEADER_BYTES: number = 8192;

  /** Origins allowed to call the gateway from browsers (exact `scheme://host[:port]`). */
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^https?:\/\/[^/\s]+$/, { each: true, message: 'CORS_ORIGINS must be a comma list of scheme://host[:port]' })
  CORS_ORIGINS: string[] = [];

  /** Requests per minute per principal and route group (anonymous callers: per client address). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 600;

  /** `postgres`: one budget across replicas (SharedRateLimiter); `memory`: per replica. */
  @IsIn(['postgres', 'memory'])
  RATE_LIMIT_STORE: 'postgres' | 'memory' = 'postgres';

  /** Entries of the verified-token cache (each kept until its token's exp). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TOKEN_CACHE_SIZE: number = 50_000;

  /** GSB exchange log: rows per insert and the longest a row waits in memory. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  EXCHANGE_LOG_BATCH_SIZE: number = 500;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  EXCHANGE_LOG_FLUSH_MS: number = 200;

  /** How often the chain head is signed and published on gsb.exchanges. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHAIN_HEAD_INTERVAL_SECONDS: number = 300;

  /** How often the usage summary of the past hour(s) is published. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  USAGE_SUMMARY_INTERVAL_SECONDS: number = 3600;

  /**
   * PKCS#8 PEM of the gateway's ES256 key that signs chain heads (a k8s Secret). Unset: a key is
   * generated and kept in the gateway's database, so heads stay verifiable across restarts.
   */
  @IsOptional()
  @IsString()
  GATEWAY_SIGNING_KEY_PEM?: string;

  /** Status page: how often each app's /health/ready and /metrics are read. */
  @Type(() => Number)
  @IsInt()
  @Min(200)
  STATUS_POLL_MS: number = 5_000;

  /** Service cards (JSON); default: the file shipped with the gateway. */
  @IsOptional()
  @IsString()
  SERVICE_CARDS_FILE?: string;

  /** Catalog entries for the platform's own services (JSON); default: the shipped seed. */
  @IsOptional()
  @IsString()
  GSB_SEED_FILE?: string;
}
