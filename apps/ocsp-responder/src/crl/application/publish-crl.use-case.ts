import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { CRL_PUBLISHED_V1, type CrlPublishedV1 } from '@darvazeh/contracts';
import { CertificateStatusRepository } from '../../certificates/domain/certificate-status.repository.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { requireIssuer } from '../../certificates/application/issuer-lookup.js';
import { assembleCrl, encodeTbsCertList } from '../domain/crl.js';
import { CrlRepository, type PublishedCrl } from '../domain/crl.repository.js';
import { CrlSigningUnavailableError } from '../domain/crl.errors.js';
import { CrlSettings } from './crl-settings.js';
import { LatestCrls, type ServedCrl } from './latest-crls.js';

/** Where the delta CRLs of `alias` are published (the freshestCRL of its complete CRLs). */
export const deltaCrlUrl = (publicBaseUrl: string, alias: string) => `${publicBaseUrl.replace(/\/+$/, '')}/crl/${alias}/delta.crl`;

/**
 * Signs and publishes the next full CRL of an issuer: takes the next CRL number under a lock,
 * lists every revoked and held certificate, stores the CRL and writes `crl.published` to the
 * outbox in the same transaction.
 */
@Injectable()
export class PublishCrlUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly statuses: CertificateStatusRepository,
    private readonly crls: CrlRepository,
    private readonly directory: IssuerDirectory,
    private readonly outbox: OutboxWriter,
    private readonly latest: LatestCrls,
    private readonly settings: CrlSettings,
  ) {}

  async execute(alias: string): Promise<ServedCrl> {
    const issuer = requireIssuer(this.directory, alias);
    const signer = issuer.crlSigner;
    if (!signer) throw new CrlSigningUnavailableError(alias);
    const published = await this.tx.run(async (manager) => {
      const number = (await this.crls.lockLatestNumber(issuer.issuer.id)) + 1n;
      const revoked = await this.statuses.findRevoked(issuer.issuer.id);
      const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
      const nextUpdate = new Date(thisUpdate.getTime() + this.settings.validitySeconds * 1000);
      const tbs = encodeTbsCertList({
        issuerSubjectDer: issuer.ca.subjectDer,
        issuerKeyIdentifier: issuer.ca.subjectKeyIdentifier,
        signatureAlgorithmDer: signer.algorithmIdentifier,
        crlNumber: number,
        thisUpdate,
        nextUpdate,
        entries: revoked
          .filter((s) => s.revokedAt !== null)
          .map((s) => ({ serial: s.serial, revokedAt: s.revokedAt!, reason: s.reason, invalidityDate: s.invalidityDate })),
        freshestCrlUrl: this.settings.delta ? deltaCrlUrl(this.settings.delta.publicBaseUrl, alias) : undefined,
      });
      const der = assembleCrl(tbs, signer.algorithmIdentifier, await signer.sign(tbs));
      const crl: PublishedCrl = { issuerId: issuer.issuer.id, crlNumber: number, thisUpdate, nextUpdate, revokedCount: revoked.length, der, baseCrlNumber: null };
      await this.crls.insert(crl);
      const data: CrlPublishedV1 = {
        issuer: alias,
        crlNumber: number.toString(),
        thisUpdate: thisUpdate.toISOString(),
        nextUpdate: nextUpdate.toISOString(),
        revokedCount: revoked.length,
        path: `/crl/${alias}.crl`,
      };
      await this.outbox.append(manager, [{ type: CRL_PUBLISHED_V1, subject: alias, data }]);
      return crl;
    });
    return this.latest.put(published);
  }
}
