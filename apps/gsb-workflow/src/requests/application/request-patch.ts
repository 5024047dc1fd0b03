import type { ContactInfo, CredentialInfo, LetterInfo, RequestKind, SystemInfo } from '../domain/deficiencies.js';
import type { DraftFields, RequestRecord } from '../domain/request.js';

/** What a PATCH may change: undefined = unchanged, null = cleared; objects merge field by field. */
export interface RequestPatch {
  environment?: 'GSB' | 'PGSB' | null;
  serviceCode?: string | null;
  system?: SystemInfo | null;
  letter?: LetterInfo | null;
  contact?: ContactInfo | null;
  connectionEnvironments?: string[] | null;
  systems?: SystemInfo[] | null;
  ipRanges?: string[] | null;
  credential?: CredentialInfo | null;
  requestedQuotaPerMinute?: number | null;
  requestedQuotaPerDay?: number | null;
}

const SERVICE_ONLY: (keyof RequestPatch)[] = ['environment', 'serviceCode', 'system', 'letter', 'requestedQuotaPerMinute', 'requestedQuotaPerDay'];
const CONNECTION_ONLY: (keyof RequestPatch)[] = ['connectionEnvironments', 'systems', 'ipRanges', 'credential'];

/** Fields of the patch that the request's kind does not have. */
export function foreignFields(kind: RequestKind, patch: RequestPatch): string[] {
  const foreign = kind === 'SERVICE' ? CONNECTION_ONLY : SERVICE_ONLY;
  return foreign.filter((k) => patch[k] !== undefined);
}

function merge<T extends object>(current: T | null, change: T | null | undefined): T | null {
  if (change === undefined) return current;
  if (change === null) return null;
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  return { ...(current ?? {}), ...defined } as T;
}

export function applyPatch(r: RequestRecord, patch: RequestPatch): RequestRecord {
  const d = r.draft;
  const draft: DraftFields = {
    system: merge(d.system, patch.system),
    letter: merge(d.letter, patch.letter),
    contact: merge(d.contact, patch.contact),
    credential: merge(d.credential, patch.credential),
    connectionEnvironments: patch.connectionEnvironments === undefined ? d.connectionEnvironments : patch.connectionEnvironments,
    systems: patch.systems === undefined ? d.systems : patch.systems,
    ipRanges: patch.ipRanges === undefined ? d.ipRanges : patch.ipRanges,
    requestedQuotaPerMinute: patch.requestedQuotaPerMinute === undefined ? d.requestedQuotaPerMinute : patch.requestedQuotaPerMinute,
    requestedQuotaPerDay: patch.requestedQuotaPerDay === undefined ? d.requestedQuotaPerDay : patch.requestedQuotaPerDay,
  };
  return {
    ...r,
    environment: patch.environment === undefined ? r.environment : patch.environment,
    serviceCode: patch.serviceCode === undefined ? r.serviceCode : patch.serviceCode,
    draft,
  };
}
