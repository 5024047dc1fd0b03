import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import { issued, type CertificateStatus } from '../domain/certificate-status.js';
import { SerialNumber } from '../domain/serial-number.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { StatusChangeEffects } from './status-change-effects.js';
import { changeStatus } from './change-certificate-status.js';
import { requireIssuer } from './issuer-lookup.js';

export interface RecordIssuanceInput {
  issuer: string;
  serial: string;
  notAfter: Date | null;
}

/** A certificate was issued: from now on it is `good`. Repeating it is harmless. */
@Injectable()
export class RecordIssuanceUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repository: CertificateStatusRepository,
    private readonly directory: IssuerDirectory,
    private readonly effects: StatusChangeEffects,
  ) {}

  async execute(input: RecordIssuanceInput): Promise<CertificateStatus> {
    const issuer = requireIssuer(this.directory, input.issuer);
    const serial = SerialNumber.parse(input.serial);
    const now = new Date();
    const { status } = await changeStatus(this.tx, this.repository, this.effects, issuer.issuer.id, serial.hex, (current) =>
      // An issuance event arriving after the revocation (reordering across producers) must not
      // resurrect the certificate: only the first issuance creates the record.
      current ? { status: current, changed: false } : { status: issued(issuer.issuer.id, serial.hex, input.notAfter, now), changed: true },
    );
    return status;
  }
}
