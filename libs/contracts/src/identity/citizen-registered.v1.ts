import { IsISO8601, IsUUID, Matches } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const CITIZEN_REGISTERED_V1 = 'ir.darvazeh.identity.citizen.registered.v1';

/**
 * A citizen registered with the central SSO. The mobile number is deliberately left out
 * (data minimisation): consumers key citizens by national code, which tokens also carry.
 */
export class CitizenRegisteredV1 {
  @IsUUID()
  citizenId!: string;

  /** National code (کد ملی), 10 digits. */
  @Matches(/^[0-9]{10}$/)
  nationalCode!: string;

  @IsISO8601()
  registeredAt!: string;
}

export const CitizenRegisteredV1Contract = defineEvent<CitizenRegisteredV1>({
  type: CITIZEN_REGISTERED_V1,
  topic: TOPICS.identityPrincipals,
  description: 'A citizen registered (national code verified by its check digit).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'CitizenRegisteredV1',
    type: 'object',
    additionalProperties: false,
    required: ['citizenId', 'nationalCode', 'registeredAt'],
    properties: {
      citizenId: { type: 'string', format: 'uuid' },
      nationalCode: { type: 'string', pattern: '^[0-9]{10}$' },
      registeredAt: { type: 'string', format: 'date-time' },
    },
  },
});
