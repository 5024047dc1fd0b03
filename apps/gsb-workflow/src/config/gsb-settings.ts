import { parseWorkingHours, type SlaSettings } from '../review/domain/sla.js';
import { PLACEHOLDER_PROVIDER_AGENCY_ID, type GsbWorkflowEnv } from './gsb-workflow.env.js';

export interface SeedService {
  code: string;
  /** identity's agency_id of the agency that provides it. */
  providerAgencyId: string;
  title: string;
  description: string;
  environments: string[];
  upstreamUrl: string;
}

/** gsb-workflow's config as the application uses it (parsed once from the validated env). DI token. */
export class GsbSettings {
  constructor(
    readonly fourEyesPgsb: boolean,
    readonly sla: SlaSettings,
    readonly slaCheckIntervalSeconds: number,
    readonly letterMaxBytes: number,
    readonly grantDefaults: { quotaPerMinute: number; quotaPerDay: number; validityDays: number },
    readonly seed: { enabled: boolean; services: SeedService[]; placeholderProviders: string[] },
  ) {}

  static fromEnv(env: GsbWorkflowEnv): GsbSettings {
    const provider = (own: string | undefined) => (own ?? env.CATALOG_SEED_PROVIDER_AGENCY_ID).toLowerCase();
    const services: SeedService[] = [
      {
        code: 'hamta.imei-status',
        providerAgencyId: provider(env.CATALOG_SEED_HAMTA_PROVIDER_AGENCY_ID),
        title: 'استعلام وضعیت IMEI (همتا)',
        description: 'Hamta EIR: white / grey / black status of an IMEI for an operator or agency.',
        environments: ['GSB', 'PGSB'],
        upstreamUrl: env.CATALOG_SEED_HAMTA_URL,
      },
      {
        code: 'karpoosheh.send-notice',
        providerAgencyId: provider(env.CATALOG_SEED_KARPOOSHEH_PROVIDER_AGENCY_ID),
        title: 'ارسال ابلاغیه به کارپوشه',
        description: "Karpoosheh: send a notice to a citizen's national inbox.",
        environments: ['GSB'],
        upstreamUrl: env.CATALOG_SEED_KARPOOSHEH_URL,
      },
      {
        code: 'ocsp.status',
        providerAgencyId: provider(env.CATALOG_SEED_OCSP_PROVIDER_AGENCY_ID),
        title: 'استعلام وضعیت گواهی (OCSP)',
        description: 'RFC 6960 certificate status from the national CAs.',
        environments: ['GSB', 'PGSB'],
        upstreamUrl: env.CATALOG_SEED_OCSP_URL,
      },
    ];
    return new GsbSettings(
      env.GSB_FOUR_EYES_PGSB,
      {
        calendar: parseWorkingHours(env.SLA_WORKING_HOURS, env.SLA_TIME_ZONE, env.SLA_HOLIDAYS),
        claimWithinWorkingHours: env.SLA_CLAIM_WORKING_HOURS,
        decideWithinDays: env.SLA_DECISION_DAYS,
      },
      env.SLA_CHECK_INTERVAL_SECONDS,
      env.LETTER_MAX_BYTES,
      { quotaPerMinute: env.GRANT_DEFAULT_QUOTA_PER_MINUTE, quotaPerDay: env.GRANT_DEFAULT_QUOTA_PER_DAY, validityDays: env.GRANT_DEFAULT_VALIDITY_DAYS },
      {
        enabled: env.CATALOG_SEED,
        services,
        placeholderProviders: services.filter((x) => x.providerAgencyId === PLACEHOLDER_PROVIDER_AGENCY_ID).map((x) => x.code),
      },
    );
  }
}
