import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { ServiceEnv } from '@darvazeh/config';

const SCRYPT_COSTS = Array.from({ length: 11 }, (_, i) => 2 ** (10 + i));

/**
 * Identity's configuration. KEY_ENCRYPTION_SECRET has no default: a deployment must state it.
 * The bootstrap admin is optional (without it, no one can call the admin routes on a fresh
 * database, which is a safe failure).
 */
export class IdentityEnv extends ServiceEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  override PORT: number = 3001;

  /** Lifetime of access tokens (client credentials and citizen OTP logins). */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS: number = 900;

  /** Leeway verifiers allow on exp/iat; a rotated-out key stays published this much longer. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600)
  JWT_CLOCK_SKEW_SECONDS: number = 60;

  /** Age after which the active signing key is replaced (0 = only by the admin endpoint). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SIGNING_KEY_ROTATION_INTERVAL_SECONDS: number = 30 * 24 * 3600;

  /** How often the scheduler checks for a due rotation and retires expired keys. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGNING_KEY_CHECK_INTERVAL_SECONDS: number = 60;

  /** Encrypts signing private keys at rest (AES-256-GCM, key derived with scrypt). */
  @IsString()
  @MinLength(16, { message: 'KEY_ENCRYPTION_SECRET must be at least 16 characters' })
  KEY_ENCRYPTION_SECRET!: string;

  /** HMAC key for stored OTP hashes; derived from KEY_ENCRYPTION_SECRET (HKDF) when not set. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'OTP_HASH_SECRET must be at least 16 characters' })
  OTP_HASH_SECRET?: string;

  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(900)
  OTP_TTL_SECONDS: number = 120;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  OTP_MAX_ATTEMPTS: number = 5;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  OTP_RESEND_SECONDS: number = 60;

  /** Wrong codes in a row per account (across codes) before its logins are locked. */
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(100)
  OTP_MAX_FAILURES: number = 10;

  /** How long such a lock lasts; each further wrong code after it locks again. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(604_800)
  OTP_LOCK_SECONDS: number = 3600;

  /** Failed client authentications allowed per (client id, source IP) per minute; other addresses are not affected. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  TOKEN_AUTH_FAILURES_PER_CLIENT_IP: number = 10;

  /** `log` prints codes to the log (embedded/dev); `http` POSTs JSON to SMS_HTTP_URL. */
  @IsIn(['log', 'http'])
  SMS_SENDER: 'log' | 'http' = 'log';

  @ValidateIf((env: IdentityEnv) => env.SMS_SENDER === 'http')
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'SMS_HTTP_URL must be an http(s) URL when SMS_SENDER=http' })
  SMS_HTTP_URL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  SMS_HTTP_TIMEOUT_MS: number = 5000;

  /** Created on first start only if no client with this id exists. Both or neither. */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, { message: 'BOOTSTRAP_ADMIN_CLIENT_ID must be 3-64 lowercase letters, digits, ".", "_" or "-"' })
  BOOTSTRAP_ADMIN_CLIENT_ID?: string;

  @ValidateIf((env: IdentityEnv) => env.BOOTSTRAP_ADMIN_CLIENT_ID !== undefined)
  @IsString({ message: 'BOOTSTRAP_ADMIN_CLIENT_SECRET is required with BOOTSTRAP_ADMIN_CLIENT_ID' })
  @MinLength(16, { message: 'BOOTSTRAP_ADMIN_CLIENT_SECRET must be at least 16 characters' })
  BOOTSTRAP_ADMIN_CLIENT_SECRET?: string;

  /** Token requests per source IP per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  TOKEN_RATE_LIMIT_PER_IP: number = 120;

  /** scrypt cost for client secrets (power of two). Tests lower it; production keeps 2^15+. */
  @Type(() => Number)
  @IsIn(SCRYPT_COSTS, { message: 'CLIENT_SECRET_SCRYPT_N must be a power of two from 1024 to 1048576' })
  CLIENT_SECRET_SCRYPT_N: number = 2 ** 15;
}
