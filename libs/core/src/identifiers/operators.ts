/**
 * Iran's mobile network operators: one registry for every service. The codes are wire format
 * (token `operator_code` claims, operator file paths, event payloads): never rename one.
 * PLMN = MCC 432 + MNC; a deployment may override the PLMN lists by config (new MVNO ranges),
 * never the codes.
 */
export const OPERATORS = [
  { code: 'MCI', name: 'Mobile Telecommunication Company of Iran (Hamrah-e Aval)', plmns: ['43211'] },
  { code: 'IRANCELL', name: 'MTN Irancell', plmns: ['43235'] },
  { code: 'RIGHTEL', name: 'Rightel', plmns: ['43220'] },
] as const;

export type OperatorCode = (typeof OPERATORS)[number]['code'];

export const OPERATOR_CODES: readonly OperatorCode[] = OPERATORS.map((o) => o.code);

export function isOperatorCode(value: unknown): value is OperatorCode {
  return typeof value === 'string' && (OPERATOR_CODES as readonly string[]).includes(value);
}

/** Default PLMN ids per operator code. */
export function defaultOperatorPlmns(): Record<OperatorCode, string[]> {
  return Object.fromEntries(OPERATORS.map((o) => [o.code, [...o.plmns]])) as Record<OperatorCode, string[]>;
}
