import { isReachablePhone, isValidEmail } from '../../shared/domain/contact.js';
import { isGsbEnvironment } from '../../shared/domain/identifiers.js';
import { isIpRange } from '../../shared/domain/ip-range.js';

/** One thing missing or wrong in a request (steps 11–12): machine-readable, shown to the applicant. */
export interface Deficiency {
  /** Path of the field, e.g. `letter.number`. */
  field: string;
  /** Stable code (wire format): clients and screens branch on it. */
  code: string;
  /** Persian text for the applicant. */
  message: string;
}

export type RequestKind = 'SERVICE' | 'CONNECTION';

export interface SystemInfo {
  name?: string | null;
  purpose?: string | null;
  ipAddresses?: string[] | null;
}

export interface ContactInfo {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface LetterInfo {
  number?: string | null;
  /** YYYY-MM-DD (Gregorian). */
  date?: string | null;
  issuingAgencyId?: string | null;
}

export interface LetterFileInfo {
  contentType: string;
  size: number;
  sha256: string;
}

export interface CredentialInfo {
  type?: 'MTLS_CERTIFICATE' | 'CLIENT_CREDENTIALS' | null;
  /** SHA-256 fingerprint of the client certificate (hex), for MTLS_CERTIFICATE. */
  certificateSha256?: string | null;
  /** The identity client_id the systems will use, for CLIENT_CREDENTIALS. */
  clientId?: string | null;
}

/** The fillable part of a request, as stored (any field may still be missing in a draft). */
export interface RequestDraft {
  kind: RequestKind;
  /** Service request: the one environment the service is wanted on. */
  environment: string | null;
  serviceCode: string | null;
  system: SystemInfo | null;
  letter: LetterInfo | null;
  letterFile: LetterFileInfo | null;
  contact: ContactInfo | null;
  /** Connection request: GSB and/or PGSB. */
  connectionEnvironments: string[] | null;
  /** Connection request: its systems and the ranges they call from. */
  systems: SystemInfo[] | null;
  ipRanges: string[] | null;
  credential: CredentialInfo | null;
}

/** What the rules need to know beyond the draft; the use case looks it up. */
export interface DeficiencyFacts {
  /** The catalog entry of `serviceCode`, or null when the catalog has none. */
  service: { providerAgencyId: string; environments: readonly string[]; status: string } | null;
  /** An ACTIVE or SUSPENDED grant of this service in this environment to this agency exists. */
  activeGrant: boolean;
  /** Another open request of this agency for the same service and environment (its id). */
  openRequestId: string | null;
  /** Connection request: environments in which the agency already has an active connection. */
  connectedEnvironments: readonly string[];
  maxLetterBytes: number;
  /** Today, local (YYYY-MM-DD): a letter cannot be dated in the future. */
  today: string;
}

export const LETTER_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp'] as const;

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim().length === 0;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function contactDeficiencies(c: ContactInfo | null, out: Deficiency[]): void {
  if (blank(c?.name)) out.push({ field: 'contact.name', code: 'CONTACT_NAME_MISSING', message: 'نام رابط فنی وارد نشده است.' });
  if (blank(c?.email)) out.push({ field: 'contact.email', code: 'CONTACT_EMAIL_MISSING', message: 'ایمیل رابط فنی وارد نشده است.' });
  else if (!isValidEmail(c!.email!)) out.push({ field: 'contact.email', code: 'CONTACT_EMAIL_INVALID', message: 'ایمیل رابط فنی معتبر نیست.' });
  if (blank(c?.phone)) out.push({ field: 'contact.phone', code: 'CONTACT_PHONE_MISSING', message: 'شماره تلفن رابط فنی وارد نشده است.' });
  else if (!isReachablePhone(c!.phone!)) {
    out.push({ field: 'contact.phone', code: 'CONTACT_PHONE_INVALID', message: 'شماره تلفن رابط فنی معتبر نیست (همراه مانند ۰۹۱۲۱۲۳۴۵۶۷ یا ثابت مانند ۰۲۱۸۸۷۷۶۶۵۵).' });
  }
}

function systemDeficiencies(s: SystemInfo | null, prefix: string, out: Deficiency[], needIps: boolean): void {
  if (blank(s?.name)) out.push({ field: `${prefix}.name`, code: 'SYSTEM_INCOMPLETE', message: 'نام سامانه وارد نشده است.' });
  if (blank(s?.purpose)) out.push({ field: `${prefix}.purpose`, code: 'SYSTEM_INCOMPLETE', message: 'کاربرد سامانه (هدف استفاده از سرویس) وارد نشده است.' });
  if (!needIps) return;
  const ips = s?.ipAddresses ?? [];
  if (ips.length === 0) out.push({ field: `${prefix}.ipAddresses`, code: 'SYSTEM_INCOMPLETE', message: 'نشانی IP سرور سامانه وارد نشده است.' });
  ips.forEach((ip, i) => {
    if (!isIpRange(ip)) out.push({ field: `${prefix}.ipAddresses[${i}]`, code: 'IP_INVALID', message: `«${ip}» نشانی IP یا بازهٔ CIDR معتبر نیست.` });
  });
}

function serviceDeficiencies(d: RequestDraft, f: DeficiencyFacts, agencyId: string, out: Deficiency[]): void {
  const envOk = isGsbEnvironment(d.environment);
  if (blank(d.environment)) out.push({ field: 'environment', code: 'ENVIRONMENT_MISSING', message: 'نوع درخواست (GSB یا PGSB) انتخاب نشده است.' });
  else if (!envOk) out.push({ field: 'environment', code: 'ENVIRONMENT_INVALID', message: 'نوع درخواست باید GSB یا PGSB باشد.' });

  systemDeficiencies(d.system, 'system', out, true);

  const l = d.letter;
  if (blank(l?.number)) out.push({ field: 'letter.number', code: 'LETTER_NUMBER_MISSING', message: 'شمارهٔ نامهٔ مجوز وارد نشده است.' });
  if (blank(l?.date)) out.push({ field: 'letter.date', code: 'LETTER_DATE_MISSING', message: 'تاریخ نامهٔ مجوز وارد نشده است.' });
  else if (!DATE.test(l!.date!) || Number.isNaN(Date.parse(l!.date!))) out.push({ field: 'letter.date', code: 'LETTER_DATE_INVALID', message: 'تاریخ نامهٔ مجوز معتبر نیست.' });
  else if (l!.date! > f.today) out.push({ field: 'letter.date', code: 'LETTER_DATE_IN_FUTURE', message: 'تاریخ نامهٔ مجوز نمی‌تواند در آینده باشد.' });
  if (blank(l?.issuingAgencyId)) out.push({ field: 'letter.issuingAgencyId', code: 'LETTER_ISSUER_MISSING', message: 'دستگاه صادرکنندهٔ نامهٔ مجوز وارد نشده است.' });
  else if (f.service && l!.issuingAgencyId !== f.service.providerAgencyId) {
    out.push({ field: 'letter.issuingAgencyId', code: 'LETTER_ISSUER_NOT_PROVIDER', message: 'نامهٔ مجوز باید از دستگاه ارائه‌دهندهٔ سرویس (مالک وب‌سرویس) صادر شده باشد.' });
  }
  const file = d.letterFile;
  if (!file) out.push({ field: 'letter.file', code: 'LETTER_FILE_MISSING', message: 'تصویر نامهٔ مجوز بارگذاری نشده است.' });
  else {
    if (!(LETTER_CONTENT_TYPES as readonly string[]).includes(file.contentType)) {
      out.push({ field: 'letter.file', code: 'LETTER_FILE_TYPE', message: 'تصویر نامه باید PDF یا تصویر (PNG، JPEG، TIFF، WebP) باشد.' });
    }
    if (file.size > f.maxLetterBytes) out.push({ field: 'letter.file', code: 'LETTER_FILE_TOO_LARGE', message: `حجم تصویر نامه بیش از ${Math.floor(f.maxLetterBytes / 1024)} کیلوبایت است.` });
  }

  if (blank(d.serviceCode)) out.push({ field: 'serviceCode', code: 'SERVICE_MISSING', message: 'سرویس مورد نیاز انتخاب نشده است.' });
  else if (!f.service) out.push({ field: 'serviceCode', code: 'SERVICE_NOT_IN_CATALOG', message: `سرویس «${d.serviceCode}» در فهرست سرویس‌ها نیست.` });
  else {
    if (f.service.status !== 'ACTIVE') out.push({ field: 'serviceCode', code: 'SERVICE_NOT_ACTIVE', message: 'این سرویس در حال حاضر ارائه نمی‌شود.' });
    if (envOk && !f.service.environments.includes(d.environment!)) {
      out.push({ field: 'serviceCode', code: 'SERVICE_NOT_OFFERED_IN_ENVIRONMENT', message: `این سرویس روی ${d.environment} ارائه نمی‌شود.` });
    }
    if (f.service.providerAgencyId === agencyId) out.push({ field: 'serviceCode', code: 'SERVICE_OWN', message: 'دستگاه نمی‌تواند سرویس خودش را درخواست کند.' });
  }

  contactDeficiencies(d.contact, out);

  if (f.activeGrant) out.push({ field: 'serviceCode', code: 'DUPLICATE_ACTIVE_GRANT', message: 'این دستگاه هم‌اکنون مجوز فعال این سرویس را در این محیط دارد.' });
  if (f.openRequestId) out.push({ field: 'serviceCode', code: 'DUPLICATE_OPEN_REQUEST', message: `درخواست باز دیگری (${f.openRequestId}) برای همین سرویس و محیط وجود دارد.` });
}

const HEX64 = /^[0-9a-f]{64}$/i;

function connectionDeficiencies(d: RequestDraft, f: DeficiencyFacts, out: Deficiency[]): void {
  const envs = d.connectionEnvironments ?? [];
  if (envs.length === 0) out.push({ field: 'connectionEnvironments', code: 'ENVIRONMENT_MISSING', message: 'محیط اتصال (GSB و/یا PGSB) انتخاب نشده است.' });
  envs.forEach((e, i) => {
    if (!isGsbEnvironment(e)) out.push({ field: `connectionEnvironments[${i}]`, code: 'ENVIRONMENT_INVALID', message: 'محیط اتصال باید GSB یا PGSB باشد.' });
    else if (f.connectedEnvironments.includes(e)) out.push({ field: `connectionEnvironments[${i}]`, code: 'DUPLICATE_ACTIVE_CONNECTION', message: `اتصال فعال به ${e} از قبل وجود دارد.` });
  });
  if (f.openRequestId) out.push({ field: 'connectionEnvironments', code: 'DUPLICATE_OPEN_REQUEST', message: `درخواست اتصال باز دیگری (${f.openRequestId}) وجود دارد.` });
  const systems = d.systems ?? [];
  if (systems.length === 0) out.push({ field: 'systems', code: 'SYSTEM_INCOMPLETE', message: 'هیچ سامانه‌ای برای اتصال معرفی نشده است.' });
  systems.forEach((s, i) => systemDeficiencies(s, `systems[${i}]`, out, false));
  const ranges = d.ipRanges ?? [];
  if (ranges.length === 0) out.push({ field: 'ipRanges', code: 'IP_RANGES_MISSING', message: 'بازه‌های IP مبدأ وارد نشده است.' });
  ranges.forEach((r, i) => {
    if (!isIpRange(r)) out.push({ field: `ipRanges[${i}]`, code: 'IP_INVALID', message: `«${r}» نشانی IP یا بازهٔ CIDR معتبر نیست.` });
  });
  const c = d.credential;
  if (!c?.type) out.push({ field: 'credential.type', code: 'CREDENTIAL_MISSING', message: 'نوع اعتبارنامه (گواهی mTLS یا client credentials) انتخاب نشده است.' });
  else if (c.type === 'MTLS_CERTIFICATE' && !HEX64.test(c.certificateSha256 ?? '')) {
    out.push({ field: 'credential.certificateSha256', code: 'CREDENTIAL_INVALID', message: 'اثر انگشت SHA-256 گواهی (۶۴ رقم هگز) وارد نشده یا نادرست است.' });
  } else if (c.type === 'CLIENT_CREDENTIALS' && blank(c.clientId)) {
    out.push({ field: 'credential.clientId', code: 'CREDENTIAL_INVALID', message: 'شناسهٔ client_id وارد نشده است.' });
  }
  contactDeficiencies(d.contact, out);
}

/** Everything missing or wrong in a request, in form order; empty = may be sent to the expert. */
export function findDeficiencies(draft: RequestDraft, facts: DeficiencyFacts, agencyId: string): Deficiency[] {
  const out: Deficiency[] = [];
  if (draft.kind === 'SERVICE') serviceDeficiencies(draft, facts, agencyId, out);
  else connectionDeficiencies(draft, facts, out);
  return out;
}
