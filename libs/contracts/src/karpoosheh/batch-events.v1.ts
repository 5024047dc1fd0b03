import { IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const NOTICE_BATCH_ACCEPTED_V1 = 'ir.darvazeh.karpoosheh.batch.accepted.v1';
export const NOTICE_BATCH_COMPLETED_V1 = 'ir.darvazeh.karpoosheh.batch.completed.v1';

/**
 * A bulk send was accepted (every recipient is ACCEPTED; no per-recipient ACCEPTED events
 * follow for a batch). Subject: noticeId.
 */
export class NoticeBatchAcceptedV1 {
  @IsUUID()
  batchId!: string;

  @IsUUID()
  noticeId!: string;

  @IsUUID()
  agencyId!: string;

  @IsInt()
  @Min(1)
  recipientCount!: number;

  @IsISO8601()
  acceptedAt!: string;
}

/** A batch's fan-out finished: every recipient is DELIVERED or FAILED. Subject: noticeId. */
export class NoticeBatchCompletedV1 {
  @IsUUID()
  batchId!: string;

  @IsUUID()
  noticeId!: string;

  @IsUUID()
  agencyId!: string;

  @IsInt()
  @Min(0)
  delivered!: number;

  @IsInt()
  @Min(0)
  failed!: number;

  @IsISO8601()
  completedAt!: string;
}

export const NoticeBatchAcceptedV1Contract = defineEvent<NoticeBatchAcceptedV1>({
  type: NOTICE_BATCH_ACCEPTED_V1,
  topic: TOPICS.karpooshehNotices,
  description: 'A bulk send was accepted for recipientCount recipients; fan-out to inboxes follows asynchronously.',
  schema: objectSchema(
    'NoticeBatchAcceptedV1',
    { batchId: UUID, noticeId: UUID, agencyId: UUID, recipientCount: { type: 'integer', minimum: 1 }, acceptedAt: DATE_TIME },
    ['batchId', 'noticeId', 'agencyId', 'recipientCount', 'acceptedAt'],
  ),
});

export const NoticeBatchCompletedV1Contract = defineEvent<NoticeBatchCompletedV1>({
  type: NOTICE_BATCH_COMPLETED_V1,
  topic: TOPICS.karpooshehNotices,
  description: 'A batch’s fan-out finished: counts of recipients DELIVERED and FAILED.',
  schema: objectSchema(
    'NoticeBatchCompletedV1',
    {
      batchId: UUID,
      noticeId: UUID,
      agencyId: UUID,
      delivered: { type: 'integer', minimum: 0 },
      failed: { type: 'integer', minimum: 0 },
      completedAt: DATE_TIME,
    },
    ['batchId', 'noticeId', 'agencyId', 'delivered', 'failed', 'completedAt'],
  ),
});
