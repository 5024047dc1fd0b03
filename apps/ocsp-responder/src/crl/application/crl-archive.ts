import { requireIssuer } from '../../certificates/application/issuer-lookup.js';
import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { CrlRepository, PublishedCrl } from '../domain/crl.repository.js';
import { CrlNotFoundError } from '../domain/crl.errors.js';

/** Every CRL an issuer has published, by number: relying parties checking an old signature ask for these. */
export class CrlArchive {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly crls: CrlRepository,
  ) {}

  async byNumber(alias: string, crlNumber: bigint): Promise<PublishedCrl> {
    const issuer = requireIssuer(this.directory, alias);
    const crl = await this.crls.byNumber(issuer.issuer.id, crlNumber);
    if (!crl) throw new CrlNotFoundError(alias, crlNumber.toString());
    return crl;
  }
}
