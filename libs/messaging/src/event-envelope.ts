/**
 * A domain event as a use case hands it to the outbox. The topic is not given here: it is
 * looked up from the event type in libs/contracts (declared once, wire format).
 */
export interface OutgoingEvent<T = unknown> {
  /** CloudEvents `type`, e.g. `ir.darvazeh.identity.agency.registered.v1`. */
  type: string;
  /** Aggregate id: CloudEvents `subject` and the Kafka message key (order per aggregate). */
  subject: string;
  data: T;
  /** Defaults to a new UUIDv7. Give one to make a retried use case emit the same event id. */
  id?: string;
  /** Defaults to now. */
  time?: Date;
}

/**
 * CloudEvents 1.0 envelope as it travels (Kafka binary mode: attributes in `ce_*` headers,
 * JSON body = data), plus W3C `traceparent`.
 */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  id: string;
  type: string;
  /** CloudEvents `source`: `/darvazeh/<service>`. */
  source: string;
  subject: string;
  /** RFC 3339 timestamp. */
  time: string;
  topic: string;
  data: T;
  traceparent?: string;
  /** Extra headers (e.g. dead-letter error details). */
  headers?: Record<string, string>;
}

/** A message as a consumer receives it: the envelope plus where it came from. */
export interface ReceivedEvent<T = unknown> extends EventEnvelope<T> {
  partition: number;
  offset: string;
  /** How many times delivery of this message has been attempted (1 on first delivery). */
  attempt: number;
  /** The Kafka record key as it arrived (normally equal to `subject`). */
  key?: string;
  /**
   * Set when the record is not a CloudEvent we can read (missing `ce_*` headers, body not
   * JSON): why. The transport dead-letters such records without calling a handler.
   */
  malformed?: string;
}
