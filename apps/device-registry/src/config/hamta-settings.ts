import { dayNumber } from '../shared/domain/calendar.js';
import { parseOperatorPlmns } from '../shared/domain/operator-network.js';
import type { EirPolicy } from '../eir/domain/eir-classifier.js';
import type { FileThresholds } from '../sightings/domain/sighting-file.js';
import type { DeviceRegistryEnv } from './device-registry.env.js';

/** Hamta's config as the application uses it (parsed once from the validated env). DI token. */
export class HamtaSettings {
  constructor(
    readonly cutoffDate: string,
    readonly policy: EirPolicy,
    readonly operatorPlmns: Record<string, string[]>,
    readonly thresholds: FileThresholds,
    readonly maxRangeDays: number,
    readonly maxFileBytes: number,
    readonly instanceId: string = 'local',
    readonly ownershipMaxMalformedRatio: number = 0,
    readonly maxDecompressedBytes: number = maxFileBytes * 8,
    readonly maxGzipRatio: number = 100,
  ) {}

  static fromEnv(env: DeviceRegistryEnv): HamtaSettings {
    const cutoffDay = dayNumber(env.SCHEME_CUTOFF_DATE);
    const enforcementDay = dayNumber(env.ENFORCEMENT_DATE);
    if (cutoffDay === null || enforcementDay === null) throw new Error('SCHEME_CUTOFF_DATE / ENFORCEMENT_DATE are not real dates');
    return new HamtaSettings(
      env.SCHEME_CUTOFF_DATE,
      { cutoffDay, enforcementDay, graceDays: env.GREY_GRACE_DAYS },
      parseOperatorPlmns(env.OPERATOR_PLMNS),
      {
        maxNullImeiRatio: env.IMPORT_MAX_NULL_IMEI_RATIO,
        maxMalformedImeiRatio: env.IMPORT_MAX_MALFORMED_IMEI_RATIO,
        maxMalformedOtherRatio: env.IMPORT_MAX_MALFORMED_OTHER_RATIO,
        maxForeignImsiRatio: env.IMPORT_MAX_FOREIGN_IMSI_RATIO,
      },
      env.IMPORT_MAX_RANGE_DAYS,
      env.IMPORT_MAX_FILE_BYTES,
      env.INSTANCE_ID,
      env.OWNERSHIP_MAX_MALFORMED_RATIO,
      env.IMPORT_MAX_DECOMPRESSED_BYTES,
      env.IMPORT_MAX_GZIP_RATIO,
    );
  }
}
