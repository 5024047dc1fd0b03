import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
// Value imports: the validation pipe needs the payload classes at run time.
import { AGENCY_DISABLED_V1, AgencyDisabledV1, PRINCIPAL_DISABLED_V1, PRINCIPAL_ENABLED_V1, PrincipalDisabledV1, PrincipalEnabledV1 } from '@darvazeh/contracts';
import { RecordRevocationUseCase } from '../application/record-revocation.use-case.js';

/** identity.principals → the edge's revocation list (idempotent via the transport). */
@Controller()
export class PrincipalEventsConsumer {
  constructor(private readonly record: RecordRevocationUseCase) {}

  @EventPattern(AGENCY_DISABLED_V1)
  async agencyDisabled(@Payload() data: AgencyDisabledV1): Promise<void> {
    await this.record.execute({ kind: 'agency', key: data.agencyId, disabled: true, at: new Date(data.disabledAt) });
  }

  @EventPattern(PRINCIPAL_DISABLED_V1)
  async principalDisabled(@Payload() data: PrincipalDisabledV1): Promise<void> {
    await this.record.execute({ kind: 'principal', key: data.subject, disabled: true, at: new Date(data.at) });
  }

  @EventPattern(PRINCIPAL_ENABLED_V1)
  async principalEnabled(@Payload() data: PrincipalEnabledV1): Promise<void> {
    await this.record.execute({ kind: 'principal', key: data.subject, disabled: false, at: new Date(data.at) });
  }
}
