import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `true/false/1/0/yes/no` → boolean; anything else is kept so validation reports it. Reads the
 * raw source value: implicit conversion would already have turned `'false'` into `true`.
 */
export function toBoolean({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
}

/** `a:9092, b:9092` → `['a:9092', 'b:9092']`; blanks dropped. */
export function toList({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const DB_URL = /^postgres(ql)?:\/\/.+/;

/**
 * Variables every service reads. Each app extends this with its own (`class IdentityEnv extends
 * ServiceEnv`). Defaults are only given where a wrong guess is harmless; secrets, the database
 * and the token issuer must be stated.
 */
export class ServiceEnv {
  /** Defaults to the name the service is started under (startService fills it in). */
  @IsString()
  @IsNotEmpty()
  @IsOptional()
  SERVICE_NAME!: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  @IsNotEmpty()
  HOST: string = '127.0.0.1';

  @IsString()
  @Matches(DB_URL, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Empty → the in-process bus (embedded mode). */
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^[^\s:]+:\d+$/, { each: true, message: 'KAFKA_BROKERS must be a comma list of host:port' })
  KAFKA_BROKERS: string[] = [];

  /**
   * Prefix of every topic and consumer group on the wire (`<ns>.hamta.devices`), so several
   * environments or test runs can share one cluster. Empty: the names declared in libs/contracts.
   */
  @IsString()
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'KAFKA_NAMESPACE may only use letters, digits, ".", "_" and "-"' })
  KAFKA_NAMESPACE: string = '';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_TOPIC_PARTITIONS: number = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_REPLICATION_FACTOR: number = 1;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'JWKS_URL must be an http(s) URL' })
  JWKS_URL!: string;

  @IsString()
  @IsNotEmpty()
  JWT_ISSUER!: string;

  @IsString()
  @IsNotEmpty()
  JWT_AUDIENCE!: string;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATE_ON_START: boolean = true;

  /**
   * Proxies (comma list of IPs or CIDRs, or proxy-addr's `loopback` / `linklocal` / `uniquelocal`)
   * whose `X-Forwarded-For` is believed for the client address: the API gateway in front of the
   * service. Empty: the socket peer is the client, so per-IP limits cannot be dodged with a header.
   */
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/, {
    each: true,
    message: 'TRUST_PROXY must be a comma list of IPs, CIDRs, loopback, linklocal or uniquelocal',
  })
  TRUST_PROXY: string[] = [];

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  @Transform(toBoolean)
  @IsBoolean()
  OUTBOX_RELAY_ENABLED: boolean = true;

  /**
   * Days a consumed event's id is remembered for de-duplication; older rows of processed_events
   * are deleted hourly. Must exceed how late Kafka can redeliver (uncommitted offsets, DLT
   * replays). 0 keeps them forever.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PROCESSED_EVENTS_RETENTION_DAYS: number = 7;
}
