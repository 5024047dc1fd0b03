import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { SubscriberOwnershipRegistry, type SubscriberOwnership } from '../domain/subscriber-ownership.js';

@Injectable()
export class TypeOrmSubscriberOwnershipRegistry extends SubscriberOwnershipRegistry {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  async record(o: SubscriberOwnership): Promise<void> {
    // A redelivery rewrites the row with itself; another operator's row for the same number and
    // instant is never overwritten (the WHERE keeps it).
    await this.tx.manager().query(
      `INSERT INTO subscriber_ownerships (msisdn, valid_from, national_code, operator_code, valid_to)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (msisdn, valid_from) DO UPDATE
         SET national_code = EXCLUDED.national_code, valid_to = EXCLUDED.valid_to
         WHERE subscriber_ownerships.operator_code = EXCLUDED.operator_code`,
      [o.msisdn, o.validFrom.toISOString(), o.nationalCode, o.operatorCode, o.validTo?.toISOString() ?? null],
    );
  }

  async ownerAt(msisdn: string, at: Date): Promise<string | null> {
    const rows = (await this.tx.manager().query(
      `SELECT national_code, valid_to FROM subscriber_ownerships
        WHERE msisdn = $1 AND valid_from <= $2
        ORDER BY valid_from DESC LIMIT 1`,
      [msisdn, at.toISOString()],
    )) as { national_code: string | null; valid_to: Date | string | null }[];
    const latest = rows[0];
    if (!latest || latest.national_code === null) return null;
    if (latest.valid_to !== null && new Date(latest.valid_to).getTime() <= at.getTime()) return null;
    return latest.national_code.trim();
  }
}
