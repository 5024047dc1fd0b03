import { parseImei } from '@darvazeh/core';
import { dayNumber } from '../../shared/domain/calendar.js';
import { imsiPlmn } from '../../shared/domain/operator-network.js';
import { parseMsisdn } from '@darvazeh/core';

export interface SightingInput {
  operatorCode: string;
  date: string;
  imei: string;
  imsi: string;
  msisdn: string;
}

export type SightingCheck =
  | { ok: true; core: number; day: number; msisdn: string }
  | { ok: false; problems: { field: string; message: string }[] };

/**
 * The rules one streamed sighting must pass to count: a well-formed IMEI, a real date, an Iranian
 * MSISDN and an IMSI of the reporting operator's own network (roamers are not reported).
 */
export function checkSighting(s: SightingInput, operatorPlmns: Record<string, string[]>): SightingCheck {
  const imei = parseImei(s.imei);
  const day = dayNumber(s.date);
  const msisdn = parseMsisdn(s.msisdn);
  const plmn = imsiPlmn(s.imsi);
  const plmns = operatorPlmns[s.operatorCode];
  const problems: { field: string; message: string }[] = [];
  if (!imei.ok) problems.push({ field: 'imei', message: imei.message });
  if (day === null) problems.push({ field: 'date', message: 'must be a real YYYY-MM-DD date' });
  if (msisdn === undefined) problems.push({ field: 'msisdn', message: 'must be an Iranian mobile number' });
  if (!plmns) problems.push({ field: 'operatorCode', message: `unknown operator ${s.operatorCode}` });
  else if (plmn === null || !plmns.includes(plmn)) problems.push({ field: 'imsi', message: `IMSI is not on ${s.operatorCode}'s network` });
  if (!imei.ok || day === null || msisdn === undefined || problems.length > 0) return { ok: false, problems };
  return { ok: true, core: imei.core, day, msisdn };
}
