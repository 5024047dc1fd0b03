import type { IssuerRepository } from '../../issuers/domain/issuer.repository.js';
import type { IssuerActivator } from '../../issuers/application/issuer-activator.js';
import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import type { StatusBook } from './status-book.js';

/** Brings the registered issuers (with their signers) and every certificate status into memory. */
export class StatusLoader {
  constructor(
    private readonly issuers: IssuerRepository,
    private readonly activator: IssuerActivator,
    private readonly directory: IssuerDirectory,
    private readonly statuses: CertificateStatusRepository,
    private readonly book: StatusBook,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Throws when the store cannot be read (the caller answers tryLater and retries). */
  async load(): Promise<{ issuers: number; statuses: number }> {
    for (const issuer of await this.issuers.findAll()) {
      if (this.directory.getById(issuer.id)) continue;
      await this.activator.activate(issuer).catch((err: unknown) => this.onError(new Error(`issuer ${issuer.alias} cannot sign: ${String(err)}`)));
    }
    this.book.load(await this.statuses.findAll());
    return { issuers: this.directory.all().length, statuses: this.book.size };
  }

  markUnavailable(): void {
    this.book.markUnavailable();
  }
}
