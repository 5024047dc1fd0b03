import { IsISO8601, Matches } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { ISSUER_ALIAS_PATTERN, ISSUER_ALIAS_SCHEMA, SERIAL_PATTERN, SERIAL_SCHEMA } from './common.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const CERTIFICATE_HELD_V1 = 'ir.darvazeh.pki.certificate.held.v1';

/** A certificate was put on hold (revoked with reason certificateHold; may be released). */
export class CertificateHeldV1 {
  @Matches(ISSUER_ALIAS_PATTERN)
  issuer!: string;

  @Matches(SERIAL_PATTERN)
  serial!: string;

  @IsISO8601()
  heldAt!: string;
}

export const CertificateHeldV1Contract = defineEvent<CertificateHeldV1>({
  type: CERTIFICATE_HELD_V1,
  topic: TOPICS.pkiCertificates,
  description: 'A certificate was put on hold (certificateHold).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'CertificateHeldV1',
    type: 'object',
    additionalProperties: false,
    required: ['issuer', 'serial', 'heldAt'],
    properties: {
      issuer: ISSUER_ALIAS_SCHEMA,
      serial: SERIAL_SCHEMA,
      heldAt: { type: 'string', format: 'date-time' },
    },
  },
});
