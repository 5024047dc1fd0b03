import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SIGHTING_REPORTED_V1, SUBSCRIBER_OWNERSHIP_CHANGED_V1, type SightingReportedV1, type SubscriberOwnershipChangedV1 } from '@darvazeh/contracts';
import type { EventContext } from '@darvazeh/messaging';
import { RecordOwnershipUseCase } from '../../subscribers/application/record-ownership.use-case.js';
import { RecordSightingUseCase } from '../application/record-sighting.use-case.js';

/** Operators' streams: `hamta.sightings` and `hamta.subscribers` (idempotency is the transport's). */
@Controller()
export class OperatorFeedConsumer {
  constructor(
    @Inject(RecordSightingUseCase) private readonly sightings: RecordSightingUseCase,
    @Inject(RecordOwnershipUseCase) private readonly ownership: RecordOwnershipUseCase,
  ) {}

  @EventPattern<string>(SIGHTING_REPORTED_V1)
  async sightingReported(@Payload() data: SightingReportedV1, @Ctx() _ctx: EventContext): Promise<void> {
    await this.sightings.execute(data);
  }

  @EventPattern<string>(SUBSCRIBER_OWNERSHIP_CHANGED_V1)
  async ownershipChanged(@Payload() data: SubscriberOwnershipChangedV1, @Ctx() _ctx: EventContext): Promise<void> {
    await this.ownership.execute(data);
  }
}
