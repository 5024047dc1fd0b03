import { IsInt, IsISO8601, IsString, Matches, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { ISSUER_ALIAS_PATTERN, ISSUER_ALIAS_SCHEMA } from './common.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const CRL_PUBLISHED_V1 = 'ir.darvazeh.pki.crl.published.v1';

/** The OCSP responder published a new CRL for an issuer. Subject = issuer alias. */
export class CrlPublishedV1 {
  @Matches(ISSUER_ALIAS_PATTERN)
  issuer!: string;

  /** CRL number (decimal string: monotonic, may exceed 2^53 in theory). */
  @Matches(/^[0-9]+$/)
  crlNumber!: string;

  @IsISO8601()
  thisUpdate!: string;

  @IsISO8601()
  nextUpdate!: string;

  @IsInt()
  @Min(0)
  revokedCount!: number;

  /** Path of the DER CRL on the responder, e.g. `/crl/rsa-ca.crl`. */
  @IsString()
  path!: string;
}

export const CrlPublishedV1Contract = defineEvent<CrlPublishedV1>({
  type: CRL_PUBLISHED_V1,
  topic: TOPICS.pkiCrls,
  description: 'A new CRL was published for an issuer.',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'CrlPublishedV1',
    type: 'object',
    additionalProperties: false,
    required: ['issuer', 'crlNumber', 'thisUpdate', 'nextUpdate', 'revokedCount', 'path'],
    properties: {
      issuer: ISSUER_ALIAS_SCHEMA,
      crlNumber: { type: 'string', pattern: '^[0-9]+$' },
      thisUpdate: { type: 'string', format: 'date-time' },
      nextUpdate: { type: 'string', format: 'date-time' },
      revokedCount: { type: 'integer', minimum: 0 },
      path: { type: 'string', minLength: 1 },
    },
  },
});
