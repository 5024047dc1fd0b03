import { IsISO8601, IsString, IsUUID } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const AGENCY_DISABLED_V1 = 'ir.darvazeh.identity.agency.disabled.v1';

/**
 * An agency was disabled: its client credentials no longer obtain tokens. Tokens already
 * issued stay valid until they expire (at most the token lifetime), so consumers that must
 * cut access at once (the gateway) should deny this agency from now on.
 */
export class AgencyDisabledV1 {
  @IsUUID()
  agencyId!: string;

  @IsString()
  clientId!: string;

  @IsISO8601()
  disabledAt!: string;
}

export const AgencyDisabledV1Contract = defineEvent<AgencyDisabledV1>({
  type: AGENCY_DISABLED_V1,
  topic: TOPICS.identityPrincipals,
  description: 'An agency was disabled; its client credentials stop working.',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'AgencyDisabledV1',
    type: 'object',
    additionalProperties: false,
    required: ['agencyId', 'clientId', 'disabledAt'],
    properties: {
      agencyId: { type: 'string', format: 'uuid' },
      clientId: { type: 'string', minLength: 1 },
      disabledAt: { type: 'string', format: 'date-time' },
    },
  },
});
