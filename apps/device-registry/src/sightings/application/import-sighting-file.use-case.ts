import { Inject, Injectable } from '@nestjs/common';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexService } from '../../eir/application/eir-index.service.js';
import { checkUpload, uploadError, uploadFailure, type OperatorUpload } from '../../shared/application/operator-upload.js';
import { dayNumber, todayNumber } from '../../shared/domain/calendar.js';
import { SightingFileImporter, type SightingFileReport } from '../domain/sighting-file.importer.js';

export interface ImportSightingFileInput extends OperatorUpload {
  from: string;
  to: string;
}

/**
 * Validates the upload's envelope (declared range, content type, size), then streams it through
 * the COPY importer; on success the EIR index learns the new first sightings after the commit.
 */
@Injectable()
export class ImportSightingFileUseCase {
  constructor(
    @Inject(SightingFileImporter) private readonly importer: SightingFileImporter,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
    @Inject(EirIndexService) private readonly eir: EirIndexService,
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
      const { report, seen } = await this.importer.import({
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
      if (seen) this.eir.noteSeenBatch(seen.imeis, seen.days, seen.length);
      return report;
    } catch (e) {
      throw uploadFailure(e);
    }
  }
}
