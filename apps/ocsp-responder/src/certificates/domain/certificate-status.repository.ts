import type { CertificateStatus } from './certificate-status.js';

export abstract class CertificateStatusRepository {
  abstract find(issuerId: string, serial: string): Promise<CertificateStatus | null>;
  abstract save(status: CertificateStatus): Promise<void>;
  /** The records of these serials of one issuer (locked for update inside a transaction), by serial. */
  abstract findMany(issuerId: string, serials: string[]): Promise<Map<string, CertificateStatus>>;
  /** Inserts or replaces many records in a few statements (bulk imports). */
  abstract saveMany(statuses: CertificateStatus[]): Promise<void>;
  /** Every record (the responder keeps all statuses in memory; ~150 bytes each). */
  abstract findAll(): Promise<CertificateStatus[]>;
  abstract findRevoked(issuerId: string): Promise<CertificateStatus[]>;
}
