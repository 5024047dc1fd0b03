import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  AGENCY_DISABLED_V1,
  AGENCY_REGISTERED_V1,
  CITIZEN_REGISTERED_V1,
  type AgencyDisabledV1,
  type AgencyRegisteredV1,
  type CitizenRegisteredV1,
} from '@darvazeh/contracts';
import { DirectoryProjection } from '../application/directory-projection.js';

/** identity.principals → the local directory (idempotency is the transport's). */
@Controller()
export class IdentityPrincipalsConsumer {
  constructor(@Inject(DirectoryProjection) private readonly directory: DirectoryProjection) {}

  @EventPattern<string>(AGENCY_REGISTERED_V1)
  agencyRegistered(@Payload() e: AgencyRegisteredV1) {
    return this.directory.agencyRegistered(e);
  }

  @EventPattern<string>(AGENCY_DISABLED_V1)
  agencyDisabled(@Payload() e: AgencyDisabledV1) {
    return this.directory.agencyDisabled(e);
  }

  @EventPattern<string>(CITIZEN_REGISTERED_V1)
  citizenRegistered(@Payload() e: CitizenRegisteredV1) {
    return this.directory.citizenRegistered(e);
  }
}
