import { IsISO8601, Matches } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { ISSUER_ALIAS_PATTERN, ISSUER_ALIAS_SCHEMA, SERIAL_PATTERN, SERIAL_SCHEMA } from './common.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const CERTIFICATE_RELEASED_V1 = 'ir.darvazeh.pki.certificate.released.v1';

/** A hold was lifted: the certificate is good again (removeFromCRL in the next delta/full CRL). */
export class CertificateReleasedV1 {
  @Matches(ISSUER_ALIAS_PATTERN)
  issuer!: string;

  @Matches(SERIAL_PATTERN)
  serial!: string;

  @IsISO8601()
  releasedAt!: string;
}

export const CertificateReleasedV1Contract = defineEvent<CertificateReleasedV1>({
  type: CERTIFICATE_RELEASED_V1,
  topic: TOPICS.pkiCertificates,
  description: 'A certificate hold was lifted (unhold).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'CertificateReleasedV1',
    type: 'object',
    additionalProperties: false,
    required: ['issuer', 'serial', 'releasedAt'],
    properties: {
      issuer: ISSUER_ALIAS_SCHEMA,
      serial: SERIAL_SCHEMA,
      releasedAt: { type: 'string', format: 'date-time' },
    },
  },
});
