import { IsIn, IsISO8601, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { defineEvent, type EventContract } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, NULLABLE_STRING, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const SENDER_ACCESS_REQUESTED_V1 = 'ir.darvazeh.karpoosheh.sender-access.requested.v1';
export const SENDER_ACCESS_GRANTED_V1 = 'ir.darvazeh.karpoosheh.sender-access.granted.v1';
export const SENDER_ACCESS_SUSPENDED_V1 = 'ir.darvazeh.karpoosheh.sender-access.suspended.v1';

export const SENDER_ACCESS_STATUSES_V1 = ['REQUESTED', 'GRANTED', 'SUSPENDED'] as const;

/**
 * An agency's access to send through Karpoosheh (full state after the change). Only GRANTED
 * agencies may send. Subject: agencyId. `actor` is the token subject that made the change.
 */
export class SenderAccessChangedV1 {
  @IsUUID()
  agencyId!: string;

  @IsIn(SENDER_ACCESS_STATUSES_V1)
  status!: (typeof SENDER_ACCESS_STATUSES_V1)[number];

  @IsString()
  @MaxLength(200)
  actor!: string;

  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(500)
  reason!: string | null;

  @IsISO8601()
  at!: string;
}

function accessEvent(type: string, title: string, status: (typeof SENDER_ACCESS_STATUSES_V1)[number], description: string): EventContract<SenderAccessChangedV1> {
  return defineEvent<SenderAccessChangedV1>({
    type,
    topic: TOPICS.karpooshehSenders,
    description,
    schema: objectSchema(
      title,
      { agencyId: UUID, status: { type: 'string', const: status }, actor: { type: 'string', minLength: 1, maxLength: 200 }, reason: NULLABLE_STRING, at: DATE_TIME },
      ['agencyId', 'status', 'actor', 'reason', 'at'],
    ),
  });
}

export const SenderAccessRequestedV1Contract = accessEvent(SENDER_ACCESS_REQUESTED_V1, 'SenderAccessRequestedV1', 'REQUESTED', 'An agency asked for access to send notices.');
export const SenderAccessGrantedV1Contract = accessEvent(SENDER_ACCESS_GRANTED_V1, 'SenderAccessGrantedV1', 'GRANTED', 'An admin granted (or reinstated) an agency’s access to send notices.');
export const SenderAccessSuspendedV1Contract = accessEvent(SENDER_ACCESS_SUSPENDED_V1, 'SenderAccessSuspendedV1', 'SUSPENDED', 'An admin suspended an agency’s access to send notices.');
