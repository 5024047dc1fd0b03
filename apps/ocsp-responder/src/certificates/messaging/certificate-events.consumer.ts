import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
// The payload classes are value imports on purpose: with `import type`, tsc emits `Function` as
// the parameter's design type and the validation pipe then rejects every event of the built
// service (Jest's SWC transform hides this).
import {
  CERTIFICATE_HELD_V1,
  CERTIFICATE_ISSUED_V1,
  CERTIFICATE_RELEASED_V1,
  CERTIFICATE_REVOKED_V1,
  CertificateHeldV1,
  CertificateIssuedV1,
  CertificateReleasedV1,
  CertificateRevokedV1,
} from '@darvazeh/contracts';
import { RecordIssuanceUseCase } from '../application/record-issuance.use-case.js';
import { RevokeCertificateUseCase } from '../application/revoke-certificate.use-case.js';
import { ReleaseCertificateUseCase } from '../application/release-certificate.use-case.js';
import { REVOCATION_REASONS } from '../domain/revocation-reason.js';

/** Status feed from the CAs' issuing systems on `pki.certificates` (idempotent via the transport). */
@Controller()
export class CertificateEventsConsumer {
  constructor(
    private readonly recordIssuance: RecordIssuanceUseCase,
    private readonly revoke: RevokeCertificateUseCase,
    private readonly release: ReleaseCertificateUseCase,
  ) {}

  @EventPattern(CERTIFICATE_ISSUED_V1)
  async issued(@Payload() data: CertificateIssuedV1): Promise<void> {
    await this.recordIssuance.execute({ issuer: data.issuer, serial: data.serial, notAfter: new Date(data.notAfter) });
  }

  @EventPattern(CERTIFICATE_REVOKED_V1)
  async revoked(@Payload() data: CertificateRevokedV1): Promise<void> {
    await this.revoke.execute({
      issuer: data.issuer,
      serial: data.serial,
      reason: data.reason,
      revokedAt: new Date(data.revokedAt),
      invalidityDate: data.invalidityDate ? new Date(data.invalidityDate) : null,
    });
  }

  @EventPattern(CERTIFICATE_HELD_V1)
  async held(@Payload() data: CertificateHeldV1): Promise<void> {
    await this.revoke.execute({ issuer: data.issuer, serial: data.serial, reason: REVOCATION_REASONS.certificateHold, revokedAt: new Date(data.heldAt) });
  }

  @EventPattern(CERTIFICATE_RELEASED_V1)
  async released(@Payload() data: CertificateReleasedV1): Promise<void> {
    await this.release.execute({ issuer: data.issuer, serial: data.serial });
  }
}
