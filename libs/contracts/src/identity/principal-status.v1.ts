import { IsIn, IsISO8601, IsString, IsUUID, Length } from 'class-validator';
import { defineEvent, type JsonSchema } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type. Key = principalId.
export const PRINCIPAL_DISABLED_V1 = 'ir.darvazeh.identity.principal.disabled.v1';
export const PRINCIPAL_ENABLED_V1 = 'ir.darvazeh.identity.principal.enabled.v1';

/** Kinds of principal whose tokens can be cut off (wire format). Agencies have agency.disabled.v1. */
export const PRINCIPAL_KINDS_V1 = ['service_client', 'citizen'] as const;
export type PrincipalKindV1 = (typeof PRINCIPAL_KINDS_V1)[number];

/**
 * A principal's status changed at the central SSO. `subject` is the `sub` its access tokens
 * carry (a client id, a citizen id), so every service and the gateway can refuse tokens of a
 * disabled principal at once instead of waiting for them to expire.
 */
export class PrincipalStatusChangedV1 {
  @IsUUID()
  principalId!: string;

  @IsString()
  @Length(1, 200)
  subject!: string;

  @IsIn(PRINCIPAL_KINDS_V1)
  kind!: PrincipalKindV1;

  @IsISO8601()
  at!: string;
}

export class PrincipalDisabledV1 extends PrincipalStatusChangedV1 {}
export class PrincipalEnabledV1 extends PrincipalStatusChangedV1 {}

function schema(title: string): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    additionalProperties: false,
    required: ['principalId', 'subject', 'kind', 'at'],
    properties: {
      principalId: { type: 'string', format: 'uuid' },
      subject: { type: 'string', minLength: 1, maxLength: 200 },
      kind: { type: 'string', enum: [...PRINCIPAL_KINDS_V1] },
      at: { type: 'string', format: 'date-time' },
    },
  };
}

export const PrincipalDisabledV1Contract = defineEvent<PrincipalDisabledV1>({
  type: PRINCIPAL_DISABLED_V1,
  topic: TOPICS.identityPrincipals,
  description: 'A service client or citizen was disabled: refuse its tokens from now on, before they expire.',
  schema: schema('PrincipalDisabledV1'),
});

export const PrincipalEnabledV1Contract = defineEvent<PrincipalEnabledV1>({
  type: PRINCIPAL_ENABLED_V1,
  topic: TOPICS.identityPrincipals,
  description: 'A disabled service client or citizen was enabled again: its new tokens work.',
  schema: schema('PrincipalEnabledV1'),
});
