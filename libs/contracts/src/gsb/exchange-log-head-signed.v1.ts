import { IsInt, IsISO8601, IsString, Length, Matches, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type. Key = 'exchange-log'.
export const GSB_EXCHANGE_LOG_HEAD_SIGNED_V1 = 'ir.darvazeh.gsb.exchange-log.head-signed.v1';

/**
 * The gateway signed the head of its GSB exchange log: row `seq` has chain hash `hash`. `jws` is
 * a compact JWS (ES256) over `{seq, hash, signedAt}` by the key `kid` of the gateway's JWKS
 * (`/gsb/.well-known/jwks.json`), so a third party holding these events can prove later that no
 * row up to `seq` was rewritten.
 */
export class GsbExchangeLogHeadSignedV1 {
  @IsInt()
  @Min(0)
  seq!: number;

  @Matches(/^[0-9a-f]{64}$/)
  hash!: string;

  @IsString()
  @Length(1, 4000)
  jws!: string;

  @IsString()
  @Length(1, 128)
  kid!: string;

  @IsISO8601()
  signedAt!: string;
}

export const GsbExchangeLogHeadSignedV1Contract = defineEvent<GsbExchangeLogHeadSignedV1>({
  type: GSB_EXCHANGE_LOG_HEAD_SIGNED_V1,
  topic: TOPICS.gsbExchanges,
  description: 'The gateway signed its exchange-log chain head (JWS ES256 by a key in its JWKS).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'GsbExchangeLogHeadSignedV1',
    type: 'object',
    additionalProperties: false,
    required: ['seq', 'hash', 'jws', 'kid', 'signedAt'],
    properties: {
      seq: { type: 'integer', minimum: 0 },
      hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      jws: { type: 'string', minLength: 1, maxLength: 4000 },
      kid: { type: 'string', minLength: 1, maxLength: 128 },
      signedAt: { type: 'string', format: 'date-time' },
    },
  },
});
