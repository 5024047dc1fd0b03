import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { CrlRepository, type PublishedCrl } from '../domain/crl.repository.js';
import { CrlEntity } from './crl.entity.js';

const toDomain = (e: CrlEntity): PublishedCrl => ({
  issuerId: e.issuerId,
  crlNumber: BigInt(e.crlNumber),
  thisUpdate: e.thisUpdate,
  nextUpdate: e.nextUpdate,
  revokedCount: e.revokedCount,
  der: e.der,
  baseCrlNumber: e.baseCrlNumber === null ? null : BigInt(e.baseCrlNumber),
});

@Injectable()
export class TypeOrmCrlRepository extends CrlRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  async lockLatestNumber(issuerId: string): Promise<bigint> {
    const manager = this.tx.manager();
    // The issuer row is the lock of its CRL sequence: numbers stay gap-free and strictly increasing.
    await manager.query('select id from issuers where id = $1 for update', [issuerId]);
    const rows: { n: string | null }[] = await manager.query('select max(crl_number)::text as n from crls where issuer_id = $1', [issuerId]);
    return BigInt(rows[0]?.n ?? '0');
  }

  async insert(crl: PublishedCrl): Promise<void> {
    await this.tx.manager().getRepository(CrlEntity).insert({ ...crl, crlNumber: crl.crlNumber.toString(), baseCrlNumber: crl.baseCrlNumber === null ? null : crl.baseCrlNumber.toString() });
  }

  async latest(issuerId: string): Promise<PublishedCrl | null> {
    const e = await this.tx.manager().getRepository(CrlEntity).findOne({ where: { issuerId, baseCrlNumber: IsNull() }, order: { crlNumber: 'DESC' } });
    return e ? toDomain(e) : null;
  }

  async latestDelta(issuerId: string): Promise<PublishedCrl | null> {
    const e = await this.tx.manager().getRepository(CrlEntity).findOne({ where: { issuerId, baseCrlNumber: Not(IsNull()) }, order: { crlNumber: 'DESC' } });
    return e ? toDomain(e) : null;
  }

  async byNumber(issuerId: string, crlNumber: bigint): Promise<PublishedCrl | null> {
    const e = await this.tx.manager().getRepository(CrlEntity).findOneBy({ issuerId, crlNumber: crlNumber.toString() });
    return e ? toDomain(e) : null;
  }
}
