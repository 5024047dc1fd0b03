import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { SightingRepository, type SightingToMerge } from '../domain/sighting.repository.js';
import { MERGE_SET, sightingsLockKey } from './pg-sighting-file.importer.js';

@Injectable()
export class TypeOrmSightingRepository extends SightingRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async merge(s: SightingToMerge): Promise<void> {
    const m = this.tx.manager();
    // Shared: streamed sightings do not wait for each other, only for a file merge of this operator.
    await m.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [sightingsLockKey(s.operatorCode)]);
    await m.query(
      `INSERT INTO sightings AS s (imei, msisdn, imsi, operator_code, first_seen, last_seen, recent_days, last_rat)
         VALUES ($1, $2, $3, $4, $5::date, $5::date, 1, $6)
         ON CONFLICT (imei, msisdn, imsi, operator_code) DO UPDATE SET ${MERGE_SET}`,
      [s.core, s.msisdn, s.imsi, s.operatorCode, s.date, s.rat],
    );
  }
}
