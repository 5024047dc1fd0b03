import type { CertificateStatus } from '../domain/certificate-status.js';

/**
 * Every certificate status, in memory, so answering OCSP never touches the database. Filled
 * from Postgres at start; kept current by the use cases after they commit. Until it has loaded
 * (or if loading failed) it is not `ready`, and the responder answers tryLater — never a guess.
 */
export class StatusBook {
  private readonly records = new Map<string, CertificateStatus>();
  private isReady = false;

  get ready(): boolean {
    return this.isReady;
  }

  load(all: CertificateStatus[]): void {
    this.records.clear();
    for (const s of all) this.records.set(key(s.issuerId, s.serial), s);
    this.isReady = true;
  }

  markUnavailable(): void {
    this.isReady = false;
  }

  get(issuerId: string, serial: string): CertificateStatus | undefined {
    return this.records.get(key(issuerId, serial));
  }

  put(status: CertificateStatus): void {
    this.records.set(key(status.issuerId, status.serial), status);
  }

  all(): IterableIterator<CertificateStatus> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }
}

const key = (issuerId: string, serial: string) => `${issuerId}:${serial}`;
