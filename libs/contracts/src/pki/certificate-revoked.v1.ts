import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { ISSUER_ALIAS_PATTERN, ISSUER_ALIAS_SCHEMA, REVOCATION_REASON_NAMES, SERIAL_PATTERN, SERIAL_SCHEMA, type RevocationReasonNameV1 } from './common.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const CERTIFICATE_REVOKED_V1 = 'ir.darvazeh.pki.certificate.revoked.v1';

/**
 * A certificate was revoked for good (a hold is `certificate.held.v1`). Subject =
 * `<issuer>:<serial>`. Final: a later `released` event for it is refused.
 */
export class CertificateRevokedV1 {
  @Matches(ISSUER_ALIAS_PATTERN)
  issuer!: string;

  @Matches(SERIAL_PATTERN)
  serial!: string;

  @IsISO8601()
  revokedAt!: string;

  @IsIn(REVOCATION_REASON_NAMES)
  reason!: RevocationReasonNameV1;

  /** When the key is known or suspected to have been compromised (RFC 5280 §5.3.2). */
  @IsOptional()
  @IsISO8601()
  invalidityDate?: string;
}

export const CertificateRevokedV1Contract = defineEvent<CertificateRevokedV1>({
  type: CERTIFICATE_REVOKED_V1,
  topic: TOPICS.pkiCertificates,
  description: 'A certificate was revoked (final); OCSP answers revoked and the next CRL lists it.',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'CertificateRevokedV1',
    type: 'object',
    additionalProperties: false,
    required: ['issuer', 'serial', 'revokedAt', 'reason'],
    properties: {
      issuer: ISSUER_ALIAS_SCHEMA,
      serial: SERIAL_SCHEMA,
      revokedAt: { type: 'string', format: 'date-time' },
      reason: { type: 'string', enum: [...REVOCATION_REASON_NAMES] },
      invalidityDate: { type: 'string', format: 'date-time' },
    },
  },
});
