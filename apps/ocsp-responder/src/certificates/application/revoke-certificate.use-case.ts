import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import { issued, revoke, type CertificateStatus } from '../domain/certificate-status.js';
import { SerialNumber } from '../domain/serial-number.js';
import { parseReason } from '../domain/revocation-reason.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { StatusChangeEffects } from './status-change-effects.js';
import { changeStatus } from './change-certificate-status.js';
import { requireIssuer } from './issuer-lookup.js';

export interface RevokeCertificateInput {
  issuer: string;
  serial: string;
  revokedAt?: Date;
  reason?: string | number;
  invalidityDate?: Date | null;
}

/**
 * Revokes (or holds, for reason certificateHold). A revocation of a serial we never saw issued is
 * recorded too: the CA is the authority, and "revoked" is the safe answer.
 */
@Injectable()
export class RevokeCertificateUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repository: CertificateStatusRepository,
    private readonly directory: IssuerDirectory,
    private readonly effects: StatusChangeEffects,
  ) {}

  async execute(input: RevokeCertificateInput): Promise<CertificateStatus> {
    const issuer = requireIssuer(this.directory, input.issuer);
    const serial = SerialNumber.parse(input.serial);
    const reason = parseReason(input.reason);
    const now = new Date();
    const at = input.revokedAt ?? now;
    const { status } = await changeStatus(this.tx, this.repository, this.effects, issuer.issuer.id, serial.hex, (current) =>
      revoke(current ?? issued(issuer.issuer.id, serial.hex, null, now), at, reason, input.invalidityDate ?? null, now),
    );
    return status;
  }
}
