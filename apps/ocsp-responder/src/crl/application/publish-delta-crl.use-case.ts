import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { CRL_PUBLISHED_V1, type CrlPublishedV1 } from '@darvazeh/contracts';
import { CertificateStatusRepository } from '../../certificates/domain/certificate-status.repository.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { requireIssuer } from '../../certificates/application/issuer-lookup.js';
import { assembleCrl, crlEntries, deltaEntries, encodeTbsCertList } from '../domain/crl.js';
import { CrlRepository, type PublishedCrl } from '../domain/crl.repository.js';
import { CrlSigningUnavailableError } from '../domain/crl.errors.js';
import { CrlSettings } from './crl-settings.js';
import { LatestCrls, type ServedCrl } from './latest-crls.js';

/**
 * Signs and publishes a delta CRL (RFC 5280 §5.2.4) against the issuer's latest complete CRL:
 * the next number of the shared CRL sequence, deltaCRLIndicator naming the base, the changes
 * since the base (new revocations and holds, changed reasons, lifted holds as removeFromCRL).
 * Returns null when there is no complete CRL to be the base yet (publish a complete one instead).
 */
@Injectable()
export class PublishDeltaCrlUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly statuses: CertificateStatusRepository,
    private readonly crls: CrlRepository,
    private readonly directory: IssuerDirectory,
    private readonly outbox: OutboxWriter,
    private readonly latest: LatestCrls,
    private readonly settings: CrlSettings,
  ) {}

  async execute(alias: string): Promise<ServedCrl | null> {
    const issuer = requireIssuer(this.directory, alias);
    const signer = issuer.crlSigner;
    if (!signer) throw new CrlSigningUnavailableError(alias);
    const published = await this.tx.run(async (manager) => {
      const number = (await this.crls.lockLatestNumber(issuer.issuer.id)) + 1n;
      const base = await this.crls.latest(issuer.issuer.id);
      if (!base) return null;
      const revoked = (await this.statuses.findRevoked(issuer.issuer.id)).filter((s) => s.revokedAt !== null);
      const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
      const validity = (this.settings.delta?.validitySeconds ?? this.settings.validitySeconds) * 1000;
      const nextUpdate = new Date(Math.min(thisUpdate.getTime() + validity, Math.max(base.nextUpdate.getTime(), thisUpdate.getTime() + 1000)));
      const entries = deltaEntries(
        crlEntries(base.der),
        revoked.map((s) => ({ serial: s.serial, revokedAt: s.revokedAt!, reason: s.reason, invalidityDate: s.invalidityDate })),
        thisUpdate,
      );
      const tbs = encodeTbsCertList({
        issuerSubjectDer: issuer.ca.subjectDer,
        issuerKeyIdentifier: issuer.ca.subjectKeyIdentifier,
        signatureAlgorithmDer: signer.algorithmIdentifier,
        crlNumber: number,
        thisUpdate,
        nextUpdate,
        entries,
        deltaOf: base.crlNumber,
      });
      const der = assembleCrl(tbs, signer.algorithmIdentifier, await signer.sign(tbs));
      const crl: PublishedCrl = { issuerId: issuer.issuer.id, crlNumber: number, thisUpdate, nextUpdate, revokedCount: entries.length, der, baseCrlNumber: base.crlNumber };
      await this.crls.insert(crl);
      const data: CrlPublishedV1 = {
        issuer: alias,
        crlNumber: number.toString(),
        thisUpdate: thisUpdate.toISOString(),
        nextUpdate: nextUpdate.toISOString(),
        revokedCount: entries.length,
        path: `/crl/${alias}/delta.crl`,
      };
      await this.outbox.append(manager, [{ type: CRL_PUBLISHED_V1, subject: alias, data }]);
      return crl;
    });
    return published ? this.latest.putDelta(published) : null;
  }
}
