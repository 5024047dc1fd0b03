import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import { unhold, type CertificateStatus } from '../domain/certificate-status.js';
import { CertificateNotFoundError } from '../domain/certificate.errors.js';
import { SerialNumber } from '../domain/serial-number.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { StatusChangeEffects } from './status-change-effects.js';
import { changeStatus } from './change-certificate-status.js';
import { requireIssuer } from './issuer-lookup.js';

/** Lifts a hold (certificateHold → good). A final revocation cannot be lifted. */
@Injectable()
export class ReleaseCertificateUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repository: CertificateStatusRepository,
    private readonly directory: IssuerDirectory,
    private readonly effects: StatusChangeEffects,
  ) {}

  async execute(input: { issuer: string; serial: string }): Promise<CertificateStatus> {
    const issuer = requireIssuer(this.directory, input.issuer);
    const serial = SerialNumber.parse(input.serial);
    const { status } = await changeStatus(this.tx, this.repository, this.effects, issuer.issuer.id, serial.hex, (current) => {
      if (!current) throw new CertificateNotFoundError(input.issuer, serial.hex);
      return unhold(current, new Date());
    });
    return status;
  }
}
