import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBSCRIBER_OWNERSHIP_CHANGED_V1, type SubscriberOwnershipChangedV1 } from '@darvazeh/contracts';
import { RecordSubscriberOwnershipUseCase } from '../application/record-subscriber-ownership.use-case.js';

/** The operators' subscriber feed (idempotency and dead letters are the transport's). */
@Controller()
export class SubscriberOwnershipConsumer {
  constructor(@Inject(RecordSubscriberOwnershipUseCase) private readonly record: RecordSubscriberOwnershipUseCase) {}

  @EventPattern<string>(SUBSCRIBER_OWNERSHIP_CHANGED_V1)
  async ownershipChanged(@Payload() data: SubscriberOwnershipChangedV1): Promise<void> {
    await this.record.execute(data);
  }
}
