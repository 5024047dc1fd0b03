import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { defineEvent, type EventContract } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, NULLABLE_NATIONAL_CODE, NULLABLE_STRING, NULLABLE_UUID, RECIPIENT_ID, RECIPIENT_KIND, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const NOTICE_RECIPIENT_ACCEPTED_V1 = 'ir.darvazeh.karpoosheh.notice.recipient-accepted.v1';
export const NOTICE_RECIPIENT_DELIVERED_V1 = 'ir.darvazeh.karpoosheh.notice.recipient-delivered.v1';
export const NOTICE_RECIPIENT_VIEWED_V1 = 'ir.darvazeh.karpoosheh.notice.recipient-viewed.v1';
export const NOTICE_RECIPIENT_EFFECTIVE_V1 = 'ir.darvazeh.karpoosheh.notice.recipient-effective.v1';
export const NOTICE_RECIPIENT_CANCELLED_V1 = 'ir.darvazeh.karpoosheh.notice.recipient-cancelled.v1';
export const NOTICE_RECIPIENT_FAILED_V1 = 'ir.darvazeh.karpoosheh.notice.recipient-failed.v1';

/** Per-recipient delivery states (wire format). */
export const RECIPIENT_STATES_V1 = ['ACCEPTED', 'DELIVERED', 'VIEWED', 'EFFECTIVE', 'CANCELLED', 'FAILED'] as const;
export type RecipientStateV1 = (typeof RECIPIENT_STATES_V1)[number];

/**
 * One recipient of a notice changed state. The six event types share this payload; `state`
 * is the state entered and always matches the type. Subject (Kafka key): noticeId, so every
 * event of one notice is ordered. `readerNationalCode` is set on VIEWED (who opened it: the
 * citizen, or a company's representative); `reason` on FAILED and CANCELLED.
 */
export class NoticeRecipientTransitionV1 {
  @IsUUID()
  noticeId!: string;

  @IsOptional()
  @IsUUID()
  batchId!: string | null;

  @IsUUID()
  agencyId!: string;

  @Matches(/^[0-9]{10,11}$/)
  recipientId!: string;

  @IsIn(['citizen', 'company'])
  recipientKind!: 'citizen' | 'company';

  @IsIn(RECIPIENT_STATES_V1)
  state!: RecipientStateV1;

  @ValidateIf((_o, v) => v !== null)
  @IsIn(RECIPIENT_STATES_V1)
  previousState!: RecipientStateV1 | null;

  @ValidateIf((_o, v) => v !== null)
  @Matches(/^[0-9]{10}$/)
  readerNationalCode!: string | null;

  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(500)
  reason!: string | null;

  @IsISO8601()
  at!: string;
}

function transitionSchema(title: string, state: RecipientStateV1, previous: (RecipientStateV1 | null)[]) {
  return objectSchema(
    title,
    {
      noticeId: UUID,
      batchId: NULLABLE_UUID,
      agencyId: UUID,
      recipientId: RECIPIENT_ID,
      recipientKind: RECIPIENT_KIND,
      state: { type: 'string', const: state },
      previousState: { enum: previous },
      readerNationalCode: NULLABLE_NATIONAL_CODE,
      reason: NULLABLE_STRING,
      at: DATE_TIME,
    },
    ['noticeId', 'batchId', 'agencyId', 'recipientId', 'recipientKind', 'state', 'previousState', 'readerNationalCode', 'reason', 'at'],
  );
}

function transition(type: string, title: string, state: RecipientStateV1, previous: (RecipientStateV1 | null)[], description: string): EventContract<NoticeRecipientTransitionV1> {
  return defineEvent<NoticeRecipientTransitionV1>({ type, topic: TOPICS.karpooshehNotices, description, schema: transitionSchema(title, state, previous) });
}

export const NoticeRecipientAcceptedV1Contract = transition(
  NOTICE_RECIPIENT_ACCEPTED_V1,
  'NoticeRecipientAcceptedV1',
  'ACCEPTED',
  [null],
  'A notice was accepted for one recipient (direct sends; bulk batches publish batch.accepted instead).',
);
export const NoticeRecipientDeliveredV1Contract = transition(
  NOTICE_RECIPIENT_DELIVERED_V1,
  'NoticeRecipientDeliveredV1',
  'DELIVERED',
  ['ACCEPTED'],
  'The notice was placed in the recipient’s inbox.',
);
export const NoticeRecipientViewedV1Contract = transition(
  NOTICE_RECIPIENT_VIEWED_V1,
  'NoticeRecipientViewedV1',
  'VIEWED',
  ['DELIVERED', 'EFFECTIVE'],
  'The recipient (or a company representative, readerNationalCode) opened the notice for the first time.',
);
export const NoticeRecipientEffectiveV1Contract = transition(
  NOTICE_RECIPIENT_EFFECTIVE_V1,
  'NoticeRecipientEffectiveV1',
  'EFFECTIVE',
  ['DELIVERED'],
  'The notice is deemed delivered: it stayed unopened for the legal number of days.',
);
export const NoticeRecipientCancelledV1Contract = transition(
  NOTICE_RECIPIENT_CANCELLED_V1,
  'NoticeRecipientCancelledV1',
  'CANCELLED',
  ['ACCEPTED', 'DELIVERED'],
  'The sender cancelled the notice before anyone opened it.',
);
export const NoticeRecipientFailedV1Contract = transition(
  NOTICE_RECIPIENT_FAILED_V1,
  'NoticeRecipientFailedV1',
  'FAILED',
  ['ACCEPTED'],
  'The notice could not be delivered to this recipient (no such citizen or company); reason says why.',
);
