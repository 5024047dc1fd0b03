import { isValidNationalCode, parseMsisdn } from '@darvazeh/core';
import { parseTimestamp } from '../../shared/domain/calendar.js';

/**
 * Rules of an operator's subscriber-ownership file (Shahkar-style: which national code holds which
 * MSISDN from when). Columns `msisdn,national_code,valid_from,valid_to`; an empty national_code
 * means the line was terminated, an empty valid_to means "until the next change".
 */
export const OWNERSHIP_HEADER = ['msisdn', 'national_code', 'valid_from', 'valid_to'];

/** Check names as the report uses them (wire format of the report). */
export type OwnershipCheck = 'columns' | 'malformed_msisdn' | 'malformed_national_code' | 'malformed_valid_from' | 'valid_from_future' | 'malformed_valid_to' | 'conflicting_duplicates' | 'foreign_msisdn';

export interface OwnershipRow {
  msisdn: string;
  nationalCode: string | null;
  validFrom: Date;
  validTo: Date | null;
}

export type OwnershipRowCheck = { ok: true; row: OwnershipRow } | { ok: false; check: OwnershipCheck; problem: string };

/** One row's first failing check, or the normalised row. */
export function checkOwnershipRow(fields: string[], now: Date): OwnershipRowCheck {
  const [rawMsisdn, rawCode, rawFrom, rawTo] = fields;
  const msisdn = parseMsisdn(rawMsisdn);
  if (msisdn === undefined) return { ok: false, check: 'malformed_msisdn', problem: `"${rawMsisdn}" is not an Iranian mobile number` };
  if (rawCode !== '' && !isValidNationalCode(rawCode)) {
    return { ok: false, check: 'malformed_national_code', problem: `"${rawCode}" is not a 10-digit national code with a valid check digit` };
  }
  const validFrom = parseTimestamp(rawFrom);
  if (validFrom === null) return { ok: false, check: 'malformed_valid_from', problem: `valid_from "${rawFrom}" is not YYYY-MM-DD or an RFC 3339 date-time` };
  if (validFrom > now) return { ok: false, check: 'valid_from_future', problem: `valid_from ${rawFrom} is in the future` };
  let validTo: Date | null = null;
  if (rawTo !== '') {
    validTo = parseTimestamp(rawTo);
    if (validTo === null) return { ok: false, check: 'malformed_valid_to', problem: `valid_to "${rawTo}" is not YYYY-MM-DD or an RFC 3339 date-time` };
    if (validTo <= validFrom) return { ok: false, check: 'malformed_valid_to', problem: `valid_to ${rawTo} is not after valid_from ${rawFrom}` };
  }
  return { ok: true, row: { msisdn, nationalCode: rawCode === '' ? null : rawCode, validFrom, validTo } };
}

export interface OwnershipCheckResult {
  check: string;
  passed: boolean;
  count: number;
  /** Allowed share of rows (0 → none allowed). */
  maxRatio: number;
  message: string;
}

const WHAT: Record<OwnershipCheck, string> = {
  columns: 'do not have 4 comma-separated fields',
  malformed_msisdn: 'have a malformed MSISDN',
  malformed_national_code: 'have a malformed national code',
  malformed_valid_from: 'have a malformed valid_from',
  valid_from_future: 'have a valid_from in the future',
  malformed_valid_to: 'have a malformed valid_to or one not after valid_from',
  conflicting_duplicates: 'repeat an (msisdn, valid_from) with a different owner or end',
  foreign_msisdn: "are for numbers another operator holds (a ported number arrives as an ownership event, never in a file)",
};

/**
 * Which checks a file passes. An ownership row decides whose SIM a citizen may register a device
 * with, so by default no bad row is tolerated (`maxBadRatio` 0); the future and conflicting-duplicate
 * checks tolerate none whatever the setting, since they mean the export itself is wrong.
 */
export function evaluateOwnershipFile(total: number, failed: ReadonlyMap<string, number>, maxBadRatio: number): OwnershipCheckResult[] {
  const rows = total;
  const results: OwnershipCheckResult[] = [{ check: 'rows', passed: total > 0, count: total, maxRatio: 0, message: `${total} data rows` }];
  for (const check of Object.keys(WHAT) as OwnershipCheck[]) {
    const n = failed.get(check) ?? 0;
    const max = check === 'valid_from_future' || check === 'conflicting_duplicates' || check === 'foreign_msisdn' ? 0 : maxBadRatio;
    results.push({
      check,
      passed: rows === 0 || n / rows <= max,
      count: n,
      maxRatio: max,
      message: `${n} of ${rows} rows ${WHAT[check]} (${rows ? ((100 * n) / rows).toFixed(3) : 0}%, at most ${(100 * max).toFixed(3)}% allowed)`,
    });
  }
  return results;
}
