import type { TopicName } from './topics.js';

/** A JSON Schema (draft 2020-12 subset Ajv understands). */
export type JsonSchema = Record<string, unknown>;

/**
 * One event type as it travels: its CloudEvents `type` (wire format, never renamed — a breaking
 * change is a new `.v2` type), the topic it is published on, and the JSON Schema of its data.
 * `T` is the payload type the producer writes and the consumer receives.
 */
export interface EventContract<T = unknown> {
  readonly type: string;
  readonly topic: TopicName | string;
  readonly schema: JsonSchema;
  readonly description: string;
  /** Phantom field carrying the payload type; never set at runtime. */
  readonly __payload?: T;
}

const TYPE_PATTERN = /^ir\.darvazeh\.[a-z0-9-]+(\.[a-z0-9-]+)+\.v[0-9]+$/;

/**
 * Declares an event contract. The type must look like `ir.darvazeh.<service>.<aggregate>.<event>.v<n>`
 * so versions are explicit on the wire.
 */
export function defineEvent<T>(spec: {
  type: string;
  topic: TopicName | string;
  schema: JsonSchema;
  description?: string;
}): EventContract<T> {
  if (!TYPE_PATTERN.test(spec.type)) {
    throw new Error(
      `event type "${spec.type}" must look like ir.darvazeh.<service>.<aggregate>.<event>.v<n>`,
    );
  }
  return Object.freeze({
    type: spec.type,
    topic: spec.topic,
    schema: spec.schema,
    description: spec.description ?? spec.type,
  });
}

/** The payload type of a contract: `EventPayload<typeof AgencyRegisteredV1>`. */
export type EventPayload<C> = C extends EventContract<infer T> ? T : never;
