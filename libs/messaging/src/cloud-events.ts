import type { EventEnvelope, ReceivedEvent } from './event-envelope.js';

/** A Kafka record in CloudEvents 1.0 binary mode. */
export interface WireMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

// wire format: CloudEvents Kafka protocol binding, binary content mode.
export const CE_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  specversion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

const OWN_HEADERS = new Set<string>(Object.values(CE_HEADERS));

/** Envelope → Kafka record: attributes in `ce_*` headers, JSON data as the value, key = subject. */
export function toWire(envelope: EventEnvelope): WireMessage {
  const headers: Record<string, string> = { ...(envelope.headers ?? {}) };
  headers[CE_HEADERS.id] = envelope.id;
  headers[CE_HEADERS.type] = envelope.type;
  headers[CE_HEADERS.source] = envelope.source;
  headers[CE_HEADERS.specversion] = '1.0';
  headers[CE_HEADERS.time] = envelope.time;
  headers[CE_HEADERS.subject] = envelope.subject;
  headers[CE_HEADERS.contentType] = 'application/json';
  if (envelope.traceparent) headers[CE_HEADERS.traceparent] = envelope.traceparent;
  return { key: envelope.subject, value: Buffer.from(JSON.stringify(envelope.data ?? null)), headers };
}

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  attempt?: number;
}

const REQUIRED: (keyof typeof CE_HEADERS)[] = ['id', 'type', 'source', 'specversion', 'subject'];

/**
 * Kafka record → received event. Never throws: a record that is not a CloudEvent we can read
 * comes back with `malformed` set (and data = the raw text) so the transport can dead-letter it
 * with the reason instead of crashing the consumer.
 */
export function fromWire(record: RawRecord): ReceivedEvent {
  const h = record.headers;
  const problems: string[] = [];
  for (const attribute of REQUIRED) {
    if (!h[CE_HEADERS[attribute]]) problems.push(`missing header ${CE_HEADERS[attribute]}`);
  }
  if (h[CE_HEADERS.specversion] && h[CE_HEADERS.specversion] !== '1.0') {
    problems.push(`unsupported ce_specversion ${h[CE_HEADERS.specversion]}`);
  }
  const text = record.value?.toString('utf8') ?? '';
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    problems.push('value is not JSON');
  }
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) if (!OWN_HEADERS.has(name)) extra[name] = value;
  return {
    specversion: '1.0',
    id: h[CE_HEADERS.id] ?? '',
    type: h[CE_HEADERS.type] ?? '',
    source: h[CE_HEADERS.source] ?? '',
    subject: h[CE_HEADERS.subject] ?? record.key ?? '',
    time: h[CE_HEADERS.time] ?? '',
    topic: record.topic,
    data,
    traceparent: h[CE_HEADERS.traceparent],
    headers: extra,
    partition: record.partition,
    offset: record.offset,
    attempt: record.attempt ?? 1,
    key: record.key ?? undefined,
    ...(problems.length > 0 ? { malformed: problems.join('; ') } : {}),
  };
}

/** Kafka header values arrive as Buffer | string | arrays of them; we use the first as text. */
export function headersToText(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
