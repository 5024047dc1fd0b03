import { IsIn, IsISO8601, IsString, IsUUID, Length, Matches } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const AGENCY_REGISTERED_V1 = 'ir.darvazeh.identity.agency.registered.v1';

/** Agency types as published; mirrors the identity service's domain list (wire format). */
export const AGENCY_TYPES_V1 = [
  'ministry',
  'government_organization',
  'state_company',
  'public_institution',
  'municipality',
  'judiciary',
  'other',
] as const;

/**
 * An executive agency was registered with the central SSO. Carries its OAuth `clientId` so
 * consumers can map a token's `sub`/`agency_id` to the agency; never any secret.
 */
export class AgencyRegisteredV1 {
  @IsUUID()
  agencyId!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  /** Legal national ID (شناسه ملی), 11 digits. */
  @Matches(/^[0-9]{11}$/)
  nationalId!: string;

  @IsString()
  @Length(1, 200)
  parentMinistry!: string;

  @IsIn(AGENCY_TYPES_V1)
  type!: (typeof AGENCY_TYPES_V1)[number];

  @IsString()
  clientId!: string;

  @IsISO8601()
  registeredAt!: string;
}

export const AgencyRegisteredV1Contract = defineEvent<AgencyRegisteredV1>({
  type: AGENCY_REGISTERED_V1,
  topic: TOPICS.identityPrincipals,
  description: 'An executive agency was registered and given client credentials (the secret is never published).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'AgencyRegisteredV1',
    type: 'object',
    additionalProperties: false,
    required: ['agencyId', 'name', 'nationalId', 'parentMinistry', 'type', 'clientId', 'registeredAt'],
    properties: {
      agencyId: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      nationalId: { type: 'string', pattern: '^[0-9]{11}$' },
      parentMinistry: { type: 'string', minLength: 1, maxLength: 200 },
      type: { type: 'string', enum: [...AGENCY_TYPES_V1] },
      clientId: { type: 'string', minLength: 1 },
      registeredAt: { type: 'string', format: 'date-time' },
    },
  },
});
