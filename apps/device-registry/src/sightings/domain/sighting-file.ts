/**
 * The acceptance rules of an operator's bulk sightings file. Counts come from SQL over the staged
 * rows; this decides which checks failed. A file failing any check is rejected whole.
 */
export interface FileCounts {
  total: number;
  structureErrors: number;
  badDate: number;
  outOfRange: number;
  future: number;
  nullImei: number;
  malformedImei: number;
  malformedOther: number;
  foreignImsi: number;
}

export interface FileThresholds {
  maxNullImeiRatio: number;
  maxMalformedImeiRatio: number;
  maxMalformedOtherRatio: number;
  maxForeignImsiRatio: number;
}

export interface CheckResult {
  check: string;
  passed: boolean;
  count: number;
  /** Allowed share of rows (0 → none allowed). */
  maxRatio: number;
  message: string;
}

export function evaluateSightingFile(c: FileCounts, t: FileThresholds): CheckResult[] {
  const rows = c.total + c.structureErrors;
  const ratio = (n: number, max: number, check: string, what: string): CheckResult => {
    const passed = rows === 0 || n / rows <= max;
    return {
      check,
      passed,
      count: n,
      maxRatio: max,
      message: `${n} of ${rows} rows ${what} (${rows ? ((100 * n) / rows).toFixed(3) : 0}%, at most ${(100 * max).toFixed(3)}% allowed)`,
    };
  };
  return [
    { check: 'rows', passed: c.total > 0, count: c.total, maxRatio: 0, message: `${c.total} data rows` },
    ratio(c.structureErrors, t.maxMalformedOtherRatio, 'columns', 'do not have 5 comma-separated fields'),
    ratio(c.badDate, 0, 'date_format', 'have a date that is not YYYY-MM-DD'),
    ratio(c.outOfRange, 0, 'date_range', 'have a date outside the declared from..to range'),
    ratio(c.future, 0, 'date_future', 'have a date in the future'),
    ratio(c.nullImei, t.maxNullImeiRatio, 'null_imei', 'have an empty IMEI'),
    ratio(c.malformedImei, t.maxMalformedImeiRatio, 'malformed_imei', 'have a malformed IMEI or a wrong check digit'),
    ratio(c.malformedOther, t.maxMalformedOtherRatio, 'malformed_imsi_msisdn', 'have a malformed IMSI or MSISDN'),
    ratio(c.foreignImsi, t.maxForeignImsiRatio, 'foreign_imsi', "have an IMSI of another operator's network"),
  ];
}
