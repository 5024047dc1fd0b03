import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { ISSUER_ALIAS_PATTERN, ISSUER_ALIAS_SCHEMA, SERIAL_PATTERN, SERIAL_SCHEMA } from './common.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const CERTIFICATE_ISSUED_V1 = 'ir.darvazeh.pki.certificate.issued.v1';

/**
 * A CA's issuing system issued a certificate. Subject = `<issuer>:<serial>`. The OCSP responder
 * answers `good` for it from then on (until revoked or held).
 */
export class CertificateIssuedV1 {
  @Matches(ISSUER_ALIAS_PATTERN)
  issuer!: string;

  @Matches(SERIAL_PATTERN)
  serial!: string;

  @IsISO8601()
  notAfter!: string;

  @IsOptional()
  @IsISO8601()
  issuedAt?: string;
}

export const CertificateIssuedV1Contract = defineEvent<CertificateIssuedV1>({
  type: CERTIFICATE_ISSUED_V1,
  topic: TOPICS.pkiCertificates,
  description: 'A certificate was issued by a CA (feeds the OCSP responder).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'CertificateIssuedV1',
    type: 'object',
    additionalProperties: false,
    required: ['issuer', 'serial', 'notAfter'],
    properties: {
      issuer: ISSUER_ALIAS_SCHEMA,
      serial: SERIAL_SCHEMA,
      notAfter: { type: 'string', format: 'date-time' },
      issuedAt: { type: 'string', format: 'date-time' },
    },
  },
});
