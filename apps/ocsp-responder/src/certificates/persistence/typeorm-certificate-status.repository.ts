import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import type { CertificateStatus } from '../domain/certificate-status.js';
import type { RevocationReasonCode } from '../domain/revocation-reason.js';
import { CertificateStatusEntity } from './certificate-status.entity.js';

const toDomain = (e: CertificateStatusEntity): CertificateStatus => ({
  issuerId: e.issuerId,
  serial: e.serial,
  state: e.state,
  notAfter: e.notAfter,
  revokedAt: e.revokedAt,
  reason: e.reason as RevocationReasonCode | null,
  invalidityDate: e.invalidityDate,
  updatedAt: e.updatedAt,
});

@Injectable()
export class TypeOrmCertificateStatusRepository extends CertificateStatusRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(CertificateStatusEntity);
  }

  async find(issuerId: string, serial: string): Promise<CertificateStatus | null> {
    const manager = this.tx.manager();
    const inTx = manager.queryRunner?.isTransactionActive === true;
    // Inside a use case's transaction, lock the row: two revocations of one certificate serialise.
    const e = await manager.getRepository(CertificateStatusEntity).findOne({
      where: { issuerId, serial },
      ...(inTx ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return e ? toDomain(e) : null;
  }

  async save(s: CertificateStatus): Promise<void> {
    await this.repo.upsert({ ...s }, ['issuerId', 'serial']);
  }

  async findAll(): Promise<CertificateStatus[]> {
    return (await this.repo.find()).map(toDomain);
  }

  async findRevoked(issuerId: string): Promise<CertificateStatus[]> {
    return (
      await this.repo
        .createQueryBuilder('s')
        .where('s.issuer_id = :issuerId', { issuerId })
        .andWhere("s.state in ('revoked', 'on_hold')")
        .orderBy('s.revoked_at', 'ASC')
        .getMany()
    ).map(toDomain);
  }
}
