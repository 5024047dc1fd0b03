import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { checkUpload, uploadError, uploadFailure, type OperatorUpload } from '../../shared/application/operator-upload.js';
import { dayNumber, todayNumber } from '../../shared/domain/calendar.js';
import { SightingFileImporter, type SightingFileReport } from '../domain/sighting-file.importer.js';

export interface ImportSightingFileInput extends OperatorUpload {
  from: string;
  to: string;
}

/**
 * Validates the upload's envelope (declared range, content type, size), then streams it through
 * the importer's checks (no transaction open while the body streams), then records the verdict in
 * one transaction; the EIR index learns a merged file's first sightings only once it has committed.
 */
@Injectable()
export class ImportSightingFileUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(SightingFileImporter) private readonly importer: SightingFileImporter,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
    @Inject(EirIndexEffects) private readonly eirIndex: EirIndexEffects,
  ) {}

  async execute(input: ImportSightingFileInput): Promise<SightingFileReport> {
    const { plmns, body } = checkUpload(input, this.settings);
    const fromDay = dayNumber(input.from);
    const toDay = dayNumber(input.to);
    const today = todayNumber(new Date());
    if (fromDay === null) throw uploadError('from', 'from is not a real date');
    if (toDay === null) throw uploadError('to', 'to is not a real date');
    if (toDay < fromDay) throw uploadError('to', 'to is before from');
    if (toDay > today) throw uploadError('to', 'the declared range ends in the future');
    if (toDay - fromDay + 1 > this.settings.maxRangeDays) throw uploadError('to', `a file covers at most ${this.settings.maxRangeDays} days`);
    try {
      const judged = await this.importer.read({
        operatorCode: input.operatorCode,
        operatorPlmns: plmns,
        fromDay,
        toDay,
        today,
        body,
        maxBytes: this.settings.maxFileBytes,
        maxDecompressedBytes: this.settings.maxDecompressedBytes,
        maxGzipRatio: this.settings.maxGzipRatio,
        thresholds: this.settings.thresholds,
      });
      return await this.tx.run(async () => {
        const { report, seen } = await this.importer.record(judged);
        if (seen) this.eirIndex.sightingsBatchImported(seen);
        return report;
      });
    } catch (e) {
      throw uploadFailure(e);
    }
  }
}
