// wire format: never rename. Shared pieces of the pki.* event payloads.

/** Issuer alias as registered with the OCSP responder (`/crl/{alias}.crl`). */
export const ISSUER_ALIAS_SCHEMA = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
/** Certificate serial number: hex, up to 20 octets (never a JSON number: it exceeds 2^53). */
export const SERIAL_SCHEMA = { type: 'string', pattern: '^(0x)?[0-9a-fA-F]{1,42}$' } as const;
export const SERIAL_PATTERN = /^(0x)?[0-9a-fA-F]{1,42}$/;
export const ISSUER_ALIAS_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** RFC 5280 CRLReason names accepted in revocation events (certificateHold has its own event). */
export const REVOCATION_REASON_NAMES = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type RevocationReasonNameV1 = (typeof REVOCATION_REASON_NAMES)[number];
