import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, Min } from 'class-validator';
import { ServiceEnv, toBoolean, toList } from '@darvazeh/config';

/**
 * The documented stand-in provider of the seeded platform services when none is configured: a
 * fixed UUID no agency registered at identity has (identity assigns UUIDv7s), so it is plainly
 * "not set" in the catalog and on gsb.catalog.
 */
export const PLACEHOLDER_PROVIDER_AGENCY_ID = '00000000-0000-4000-8000-0000000000a1';

/** gsb-workflow's settings on top of the platform's. */
export class GsbWorkflowEnv extends ServiceEnv {
  override PORT: number = 3004;

  /** Four-eyes: an approval of a PGSB request needs a second expert. */
  @Transform(toBoolean)
  @IsBoolean()
  GSB_FOUR_EYES_PGSB: boolean = true;

  /** A submitted request must be claimed within this many working hours, or it is escalated. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  SLA_CLAIM_WORKING_HOURS: number = 8;

  /** A submitted request must be decided within this many calendar days, or it is escalated. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.001)
  SLA_DECISION_DAYS: number = 5;

  /** The experts' working week: `<first>-<last weekday> HH:MM-HH:MM` (Thursday and Friday off by default). */
  @Matches(/^[A-Za-z]{3}-[A-Za-z]{3} \d{2}:\d{2}-\d{2}:\d{2}$/, { message: 'SLA_WORKING_HOURS must look like "Sat-Wed 08:00-16:00"' })
  SLA_WORKING_HOURS: string = 'Sat-Wed 08:00-16:00';

  @IsString()
  SLA_TIME_ZONE: string = 'Asia/Tehran';

  /** Local dates (YYYY-MM-DD, comma list) that are not working days (official holidays). */
  @Transform(toList)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'SLA_HOLIDAYS must be a comma list of YYYY-MM-DD' })
  SLA_HOLIDAYS: string[] = [];

  /** How often overdue requests are looked for (seconds; 0 = never, e.g. tests that drive it). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SLA_CHECK_INTERVAL_SECONDS: number = 60;

  /** Largest authorization-letter file (image or PDF), bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  LETTER_MAX_BYTES: number = 5 * 1024 * 1024;

  /** Quotas and validity a grant gets when the approving expert names none. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  GRANT_DEFAULT_QUOTA_PER_MINUTE: number = 600;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  GRANT_DEFAULT_QUOTA_PER_DAY: number = 200_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  GRANT_DEFAULT_VALIDITY_DAYS: number = 365;

  /** The catalog is seeded with the platform's own services at start (published on gsb.catalog). */
  @Transform(toBoolean)
  @IsBoolean()
  CATALOG_SEED: boolean = true;

  /**
   * Agency id (identity's agency_id, returned by identity's POST /agencies when the providing
   * agency was registered) that provides the seeded platform services, unless one of the
   * per-service settings below names another. The default is a documented placeholder
   * (PLACEHOLDER_PROVIDER_AGENCY_ID) that no registered agency has: the service starts with it and
   * logs a warning, and no agency can manage those entries until an operator sets the real ids.
   */
  @IsUUID('all', { message: "CATALOG_SEED_PROVIDER_AGENCY_ID must be an agency id (UUID)" })
  CATALOG_SEED_PROVIDER_AGENCY_ID: string = PLACEHOLDER_PROVIDER_AGENCY_ID;

  /** Provider of `hamta.imei-status` (the agency that runs Hamta); default CATALOG_SEED_PROVIDER_AGENCY_ID. */
  @IsOptional()
  @IsUUID('all', { message: 'CATALOG_SEED_HAMTA_PROVIDER_AGENCY_ID must be an agency id (UUID)' })
  CATALOG_SEED_HAMTA_PROVIDER_AGENCY_ID?: string;

  /** Provider of `karpoosheh.send-notice`; default CATALOG_SEED_PROVIDER_AGENCY_ID. */
  @IsOptional()
  @IsUUID('all', { message: 'CATALOG_SEED_KARPOOSHEH_PROVIDER_AGENCY_ID must be an agency id (UUID)' })
  CATALOG_SEED_KARPOOSHEH_PROVIDER_AGENCY_ID?: string;

  /** Provider of `ocsp.status` (the agency that runs the CAs' OCSP); default CATALOG_SEED_PROVIDER_AGENCY_ID. */
  @IsOptional()
  @IsUUID('all', { message: 'CATALOG_SEED_OCSP_PROVIDER_AGENCY_ID must be an agency id (UUID)' })
  CATALOG_SEED_OCSP_PROVIDER_AGENCY_ID?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  CATALOG_SEED_HAMTA_URL: string = 'http://127.0.0.1:3002/eir/check';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  CATALOG_SEED_KARPOOSHEH_URL: string = 'http://127.0.0.1:3003/notices';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  CATALOG_SEED_OCSP_URL: string = 'http://127.0.0.1:3005/ocsp';
}
