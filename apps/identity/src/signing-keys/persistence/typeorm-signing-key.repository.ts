import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { SigningKey, type SigningKeyStatus } from '../domain/signing-key.js';
import { SigningKeyRepository } from '../domain/signing-key.repository.js';
import { SigningKeyEntity } from './signing-key.entity.js';

/** Arbitrary constant naming identity's key-rotation advisory lock. */
const ROTATION_LOCK_ID = 7_301_001;

function toDomain(e: SigningKeyEntity): SigningKey {
  return SigningKey.restore({ ...e, alg: 'ES256', status: e.status as SigningKeyStatus });
}

@Injectable()
export class TypeOrmSigningKeyRepository extends SigningKeyRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(SigningKeyEntity);
  }

  async findActive(): Promise<SigningKey | null> {
    const e = await this.repo.findOneBy({ status: 'active' });
    return e ? toDomain(e) : null;
  }

  async findUnretired(): Promise<SigningKey[]> {
    const rows = await this.repo.find({ where: { status: In(['active', 'retiring']) }, order: { createdAt: 'DESC' } });
    return rows.map(toDomain);
  }

  async insert(key: SigningKey): Promise<void> {
    await this.repo.insert(Object.assign(new SigningKeyEntity(), key.toProps()));
  }

  async update(key: SigningKey): Promise<void> {
    await this.repo.save(Object.assign(new SigningKeyEntity(), key.toProps()));
  }

  async lockForRotation(): Promise<void> {
    await this.tx.manager().query('SELECT pg_advisory_xact_lock($1)', [ROTATION_LOCK_ID]);
  }
}
