import type { CertificateStatus } from './certificate-status.js';

export abstract class CertificateStatusRepository {
  abstract find(issuerId: string, serial: string): Promise<CertificateStatus | null>;
  abstract save(status: CertificateStatus): Promise<void>;
  /** Every record (the responder keeps all statuses in memory; ~150 bytes each). */
  abstract findAll(): Promise<CertificateStatus[]>;
  abstract findRevoked(issuerId: string): Promise<CertificateStatus[]>;
}
