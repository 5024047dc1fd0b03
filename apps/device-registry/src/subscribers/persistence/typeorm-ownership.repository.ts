import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OwnershipRepository, type OwnershipRecord } from '../domain/ownership.repository.js';

@Injectable()
export class TypeOrmOwnershipRepository extends OwnershipRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async upsert(o: OwnershipRecord): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager().query(
      `INSERT INTO subscriber_ownerships AS o (msisdn, valid_from, national_code, operator_code, valid_to)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (msisdn, valid_from) DO UPDATE SET national_code = EXCLUDED.national_code, valid_to = EXCLUDED.valid_to
           WHERE o.operator_code = EXCLUDED.operator_code
         RETURNING 1`,
      [o.msisdn, o.validFrom, o.nationalCode, o.operatorCode, o.validTo],
    );
    return rows.length > 0;
  }
}
