import { InvalidRevocationReasonError } from './certificate.errors.js';

/** RFC 5280 §5.3.1 CRLReason codes (7 is not used). Wire values: never renumber. */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type RevocationReasonName = keyof typeof REVOCATION_REASONS;
export type RevocationReasonCode = (typeof REVOCATION_REASONS)[RevocationReasonName];

const BY_CODE = new Map<number, RevocationReasonName>(
  Object.entries(REVOCATION_REASONS).map(([k, v]) => [v, k as RevocationReasonName]),
);

export function reasonName(code: number): RevocationReasonName {
  const name = BY_CODE.get(code);
  if (!name) throw new InvalidRevocationReasonError('reason', String(code));
  return name;
}

/** Accepts a name (`keyCompromise`, case-insensitive) or a numeric code. */
export function parseReason(input: string | number | undefined, field = 'reason'): RevocationReasonCode {
  if (input === undefined || input === '') return REVOCATION_REASONS.unspecified;
  if (typeof input === 'number' || /^\d+$/.test(input)) {
    const code = Number(input);
    if (!BY_CODE.has(code) || code === REVOCATION_REASONS.removeFromCRL) throw new InvalidRevocationReasonError(field, String(input));
    return code as RevocationReasonCode;
  }
  const key = Object.keys(REVOCATION_REASONS).find((k) => k.toLowerCase() === input.trim().toLowerCase());
  if (!key || key === 'removeFromCRL') throw new InvalidRevocationReasonError(field, input);
  return REVOCATION_REASONS[key as RevocationReasonName];
}
