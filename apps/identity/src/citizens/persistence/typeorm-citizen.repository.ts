import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { uniqueViolation } from '../../shared/unique-violation.js';
import { Citizen, type CitizenStatus } from '../domain/citizen.js';
import { CitizenAlreadyRegisteredError } from '../domain/citizen.errors.js';
import { CitizenRepository, OtpChallengeRepository } from '../domain/citizen.repository.js';
import { OtpChallenge } from '../domain/otp-challenge.js';
import { CitizenEntity, OtpChallengeEntity } from './citizen.entity.js';

function toDomain(e: CitizenEntity): Citizen {
  return Citizen.restore({ ...e, status: e.status as CitizenStatus });
}

@Injectable()
export class TypeOrmCitizenRepository extends CitizenRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(CitizenEntity);
  }

  async findById(id: string): Promise<Citizen | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toDomain(e) : null;
  }

  async findByNationalCode(nationalCode: string): Promise<Citizen | null> {
    const e = await this.repo.findOneBy({ nationalCode });
    return e ? toDomain(e) : null;
  }

  async insert(citizen: Citizen): Promise<void> {
    try {
      await this.repo.insert(Object.assign(new CitizenEntity(), citizen.toProps()));
    } catch (error) {
      if (uniqueViolation(error) === 'citizens_national_code_key') throw new CitizenAlreadyRegisteredError();
      throw error;
    }
  }

  async update(citizen: Citizen): Promise<void> {
    const { id, ...rest } = citizen.toProps();
    await this.repo.update({ id }, rest);
  }
}

@Injectable()
export class TypeOrmOtpChallengeRepository extends OtpChallengeRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  async findForUpdate(citizenId: string): Promise<OtpChallenge | null> {
    const manager = this.tx.manager();
    const lock = manager.queryRunner?.isTransactionActive ? ' FOR UPDATE' : '';
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT citizen_id, code_hash, sent_at, expires_at, attempts, max_attempts, consumed_at, failures, locked_until
         FROM otp_challenges WHERE citizen_id = $1${lock}`,
      [citizenId],
    );
    const r = rows[0];
    if (!r) return null;
    return OtpChallenge.restore({
      citizenId: r.citizen_id as string,
      codeHash: r.code_hash as string,
      sentAt: new Date(r.sent_at as string),
      expiresAt: new Date(r.expires_at as string),
      attempts: Number(r.attempts),
      maxAttempts: Number(r.max_attempts),
      consumedAt: r.consumed_at ? new Date(r.consumed_at as string) : null,
      failures: Number(r.failures),
      lockedUntil: r.locked_until ? new Date(r.locked_until as string) : null,
    });
  }

  async save(challenge: OtpChallenge): Promise<void> {
    await this.tx.manager().getRepository(OtpChallengeEntity).save(Object.assign(new OtpChallengeEntity(), challenge.toProps()));
  }
}
