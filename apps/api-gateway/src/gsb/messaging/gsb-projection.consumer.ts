import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
// Value imports: the validation pipe needs the payload classes at run time.
import {
  GSB_GRANT_ISSUED_V1,
  GSB_GRANT_REINSTATED_V1,
  GSB_GRANT_REVOKED_V1,
  GSB_GRANT_SUSPENDED_V1,
  GSB_SERVICE_CHANGED_V1,
  GsbGrantIssuedV1,
  GsbGrantReinstatedV1,
  GsbGrantRevokedV1,
  GsbGrantSuspendedV1,
  GsbServiceChangedV1,
} from '@darvazeh/contracts';
import { ApplyGrantStateUseCase, ApplyServiceChangeUseCase } from '../application/apply-projection.use-cases.js';

/** gsb.grants and gsb.catalog → the gateway's projection (idempotent via the transport; versions order). */
@Controller()
export class GsbProjectionConsumer {
  constructor(
    private readonly grants: ApplyGrantStateUseCase,
    private readonly services: ApplyServiceChangeUseCase,
  ) {}

  @EventPattern(GSB_GRANT_ISSUED_V1)
  issued(@Payload() data: GsbGrantIssuedV1): Promise<void> {
    return this.grants.execute(data);
  }

  @EventPattern(GSB_GRANT_SUSPENDED_V1)
  suspended(@Payload() data: GsbGrantSuspendedV1): Promise<void> {
    return this.grants.execute(data);
  }

  @EventPattern(GSB_GRANT_REINSTATED_V1)
  reinstated(@Payload() data: GsbGrantReinstatedV1): Promise<void> {
    return this.grants.execute(data);
  }

  @EventPattern(GSB_GRANT_REVOKED_V1)
  revoked(@Payload() data: GsbGrantRevokedV1): Promise<void> {
    return this.grants.execute(data);
  }

  @EventPattern(GSB_SERVICE_CHANGED_V1)
  serviceChanged(@Payload() data: GsbServiceChangedV1): Promise<void> {
    return this.services.execute(data);
  }
}
