/** One event, serialised, as the outbox and the webhook queue store it. */
export interface SerializedNoticeEvent {
  eventId: string;
  topic: string;
  type: string;
  /** JSON text of the payload. */
  payload: string;
}

/**
 * Port of where notice events go in the caller's transaction: the outbox (relayed to Kafka,
 * key = notice id) and the agency's webhook queue. Bulk-sized: one statement per call.
 */
export abstract class NoticeOutbox {
  abstract append(key: string, source: string, occurredAt: string, events: readonly SerializedNoticeEvent[]): Promise<void>;
  abstract callbackUrlOf(agencyId: string): Promise<string | null>;
  abstract queueWebhooks(agencyId: string, dueAt: string, events: readonly SerializedNoticeEvent[]): Promise<void>;
}
