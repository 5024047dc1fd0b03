import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ServiceEnv, toList } from '@darvazeh/config';

export class OcspResponderEnv extends ServiceEnv {
  /** Directory of PEM/PKCS#8 signing keys (a mounted k8s Secret); issuers refer to files in it. */
  @IsString()
  OCSP_KEY_DIR: string = './keys';

  @IsIn(['echo', 'ignore'])
  OCSP_NONCE_POLICY: 'echo' | 'ignore' = 'echo';

  @IsIn(['byKey', 'byName'])
  OCSP_RESPONDER_ID: 'byKey' | 'byName' = 'byKey';

  @Type(() => Number)
  @IsInt()
  @Min(60)
  OCSP_VALIDITY_SECONDS: number = 86_400;

  @Type(() => Number)
  @IsInt()
  @Min(30)
  OCSP_REFRESH_BEFORE_SECONDS: number = 43_200;

  @Type(() => Number)
  @IsInt()
  @Min(30)
  OCSP_UNKNOWN_VALIDITY_SECONDS: number = 3_600;

  /** How a serial the issuer never reported is answered (RFC 6960 §2.2). Never `good`. */
  @IsIn(['unknown', 'revoked'])
  OCSP_NON_ISSUED: 'unknown' | 'revoked' = 'unknown';

  /**
   * Announce an archive cutoff (RFC 6960 §4.4.4) in every answer: statuses are kept this many days
   * past a certificate's expiry (they are never purged). Unset: no archive cutoff extension.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36_500)
  OCSP_ARCHIVE_RETENTION_DAYS?: number;

  /**
   * A serial the issuer never reported: `unknown` (answered per OCSP_NON_ISSUED, signed once and
   * kept for OCSP_UNKNOWN_VALIDITY_SECONDS) or `unauthorized` (the unsigned error response,
   * RFC 5019 §2.2.3: a flood of random serials costs no signature at all).
   */
  @IsIn(['unknown', 'unauthorized'])
  OCSP_UNKNOWN_SERIAL_POLICY: 'unknown' | 'unauthorized' = 'unknown';

  /**
   * Signatures one client address may cost per second (nonce echoes, multi-CertID requests,
   * first answers); past it: the pre-signed answer without nonce, or tryLater. 0 = unbounded.
   * Behind a proxy in TRUST_PROXY (the cache tier) the address is the last X-Forwarded-For entry.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  OCSP_LIVE_SIGNING_PER_CLIENT: number = 200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  OCSP_MAX_CERT_IDS: number = 20;

  @Type(() => Number)
  @IsInt()
  @Min(512)
  @Max(65_536)
  OCSP_MAX_REQUEST_BYTES: number = 8_192;

  /**
   * Signing runs off the event loop either way. Unset (default): live signatures on node:crypto's
   * async sign (libuv's thread pool — measured faster on the 2-core bench box for one signature at
   * a time), pre-signing on min(2, cores) worker_threads started on the first bulk signature.
   * 0: everything on libuv's pool, no worker thread. N > 0: everything on N worker_threads holding
   * the keys, batched per event-loop turn.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(16)
  OCSP_SIGNING_WORKERS?: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OCSP_REFRESH_CONCURRENCY: number = 16;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OCSP_REFRESH_INTERVAL_SECONDS: number = 60;

  @Type(() => Number)
  @IsInt()
  @Min(300)
  CRL_VALIDITY_SECONDS: number = 86_400;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  CRL_DEBOUNCE_MS: number = 2_000;

  /**
   * `on`: status changes publish delta CRLs (RFC 5280 §5.2.4) against the latest complete CRL,
   * served at /crl/{alias}/delta.crl and announced in the complete CRL's freshestCRL.
   */
  /**
   * Base URLs of the cache tier's nodes (Varnish with cache-tier/ocsp.vcl), comma-separated: on
   * every status change the responder BANs the certificate's cached GET answers there, and tags
   * cacheable answers with `x-ocsp-cert`. Empty: no cache tier (no-op purger, no tag).
   */
  @Transform(toList)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true })
  OCSP_CACHE_PURGE_URLS: string[] = [];

  @IsIn(['off', 'on'])
  CRL_DELTA: 'off' | 'on' = 'off';

  @Type(() => Number)
  @IsInt()
  @Min(60)
  CRL_DELTA_VALIDITY_SECONDS: number = 3_600;

  /** Absolute base of the CRL distribution point as relying parties reach it (for freshestCRL). */
  @IsString()
  CRL_PUBLIC_BASE_URL: string = 'http://localhost:3005';
}
