import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceEnv } from '@darvazeh/config';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Hamta's settings on top of the platform's. */
export class DeviceRegistryEnv extends ServiceEnv {
  override PORT: number = 3002;

  /** Devices first seen before this day (UTC) are pre-scheme and may be registered here. */
  @Matches(DATE, { message: 'SCHEME_CUTOFF_DATE must be YYYY-MM-DD' })
  SCHEME_CUTOFF_DATE: string = '2020-12-22';

  /** From this day pre-scheme devices must be registered too (EIR stops answering white for them). */
  @Matches(DATE, { message: 'ENFORCEMENT_DATE must be YYYY-MM-DD' })
  ENFORCEMENT_DATE: string = '2030-01-01';

  /** Days an unregistered device may attach after its first sighting before the EIR answers grey. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  GREY_GRACE_DAYS: number = 30;

  /**
   * PLMN ids (MCC+MNC) replacing those of the `OPERATORS` registry (@darvazeh/core) for the
   * operators named, e.g. `IRANCELL:43235,IRANCELL:43299` for a new range; empty: the registry's.
   * Codes outside the registry are refused at boot.
   */
  @IsString()
  @Matches(/^$|^([A-Z0-9_]+:\d{5,6})(,\s*[A-Z0-9_]+:\d{5,6})*$/, {
    message: 'OPERATOR_PLMNS must look like MCI:43211,IRANCELL:43235',
  })
  OPERATOR_PLMNS: string = '';

  /** A bulk file is rejected when more than this share of rows has an empty IMEI. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  IMPORT_MAX_NULL_IMEI_RATIO: number = 0.01;

  /** … or has a malformed IMEI (wrong length, non-digits, wrong check digit). */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  IMPORT_MAX_MALFORMED_IMEI_RATIO: number = 0.02;

  /** … or has a malformed IMSI or MSISDN. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  IMPORT_MAX_MALFORMED_OTHER_RATIO: number = 0.02;

  /** … or has IMSIs of another operator (roamers are not reported in sightings files). */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  IMPORT_MAX_FOREIGN_IMSI_RATIO: number = 0;

  /**
   * A subscriber-ownership file is rejected when more than this share of rows is malformed (bad
   * MSISDN, national code or dates). 0: one bad row rejects the file — an ownership row decides
   * whose SIM a device may be registered with.
   */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  OWNERSHIP_MAX_MALFORMED_RATIO: number = 0;

  /** Longest date range one file may declare. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IMPORT_MAX_RANGE_DAYS: number = 31;

  /**
   * This replica's name: its EIR index reads `hamta.devices` in its own consumer group
   * (`device-registry.eir.<INSTANCE_ID>`) so every replica sees every change. Must differ per
   * replica; the default (host, pid, random) does.
   */
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'INSTANCE_ID may hold letters, digits, . _ - (at most 100)' })
  INSTANCE_ID: string = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);

  /** Largest upload accepted, in bytes (compressed size for gzip). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_FILE_BYTES: number = 2 * 1024 * 1024 * 1024;

  /** Largest decompressed file accepted, in bytes (a gzip upload is refused once it inflates past this). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_DECOMPRESSED_BYTES: number = 4 * 1024 * 1024 * 1024;

  /**
   * Largest inflate ratio of a gzip upload (decompressed ÷ compressed bytes so far, checked past
   * the first 16 MiB). Operators' CSV compresses 3–10×; a gzip bomb of zeros ~1,000×.
   */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  IMPORT_MAX_GZIP_RATIO: number = 100;
}
