import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { SightingReportedV1 } from '@darvazeh/contracts';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { InvalidInputError } from '../../shared/domain/hamta.errors.js';
import { checkSighting } from '../domain/sighting.js';
import { SightingRepository } from '../domain/sighting.repository.js';

/**
 * One streamed sighting, merged into its key with LEAST/GREATEST and the recent-days mask, so
 * a redelivered or late (out-of-order) event leaves the same row as in-order delivery. Malformed or
 * foreign sightings are permanent errors (the transport dead-letters them).
 */
@Injectable()
export class RecordSightingUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
    @Inject(EirIndexEffects) private readonly eirIndex: EirIndexEffects,
    @Inject(SightingRepository) private readonly sightings: SightingRepository,
  ) {}

  async execute(s: SightingReportedV1): Promise<void> {
    const c = checkSighting(s, this.settings.operatorPlmns);
    if (!c.ok) throw new InvalidInputError('HAMTA.SIGHTING_INVALID', 'the sighting cannot be recorded', { errors: c.problems });
    await this.tx.run(async () => {
      await this.sightings.merge({ core: c.core, msisdn: c.msisdn, imsi: s.imsi, operatorCode: s.operatorCode, date: s.date, rat: s.rat?.slice(0, 8) ?? null });
      // Inside a consumer batch this transaction is the batch's: the index learns it only once
      // the batch has committed, and never if it rolls back.
      this.eirIndex.sightingSeen(c.core, c.day);
    });
  }
}
