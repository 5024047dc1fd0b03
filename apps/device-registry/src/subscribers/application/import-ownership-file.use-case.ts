import { Inject, Injectable } from '@nestjs/common';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { checkUpload, uploadFailure, type OperatorUpload } from '../../shared/application/operator-upload.js';
import { OwnershipFileImporter, type OwnershipFileReport } from '../domain/ownership-file.importer.js';

/**
 * Subscriber ownership by bulk file, the second path next to `hamta.subscribers`: the envelope is
 * checked before reading, then the importer judges the whole file and merges it or nothing.
 */
@Injectable()
export class ImportOwnershipFileUseCase {
  constructor(
    @Inject(OwnershipFileImporter) private readonly importer: OwnershipFileImporter,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
  ) {}

  async execute(input: OperatorUpload): Promise<OwnershipFileReport> {
    const { body } = checkUpload(input, this.settings);
    try {
      return await this.importer.import({
        operatorCode: input.operatorCode,
        body,
        maxBytes: this.settings.maxFileBytes,
        maxDecompressedBytes: this.settings.maxDecompressedBytes,
        maxGzipRatio: this.settings.maxGzipRatio,
        maxBadRatio: this.settings.ownershipMaxMalformedRatio,
        now: new Date(),
      });
    } catch (e) {
      throw uploadFailure(e);
    }
  }
}
