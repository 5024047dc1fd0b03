import { BaseRpcContext } from '@nestjs/microservices';
import type { ReceivedEvent } from '../event-envelope.js';

/**
 * What a consumer gets with `@Ctx()`: the received event (CloudEvents attributes, origin
 * topic/partition/offset) and which attempt this is (1 on first delivery, more on retries).
 */
export class EventContext<T = unknown> extends BaseRpcContext<[ReceivedEvent<T>, number]> {
  constructor(readonly event: ReceivedEvent<T>, readonly attempt: number) {
    super([event, attempt]);
  }

  get id(): string {
    return this.event.id;
  }

  get type(): string {
    return this.event.type;
  }

  get subject(): string {
    return this.event.subject;
  }

  get source(): string {
    return this.event.source;
  }

  get topic(): string {
    return this.event.topic;
  }

  get traceparent(): string | undefined {
    return this.event.traceparent;
  }

  /** When the producer says the event happened. */
  get time(): Date {
    return new Date(this.event.time);
  }
}
