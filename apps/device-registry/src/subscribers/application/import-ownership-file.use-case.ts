import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { checkUpload, uploadFailure, type OperatorUpload } from '../../shared/application/operator-upload.js';
import { PgOwnershipFileImporter, type OwnershipFileReport } from '../persistence/pg-ownership-file.importer.js';

/**
 * Subscriber ownership by bulk file, the second path next to `hamta.subscribers`: the envelope is
 * checked before reading, then the importer judges the whole file and merges it or nothing.
 */
@Injectable()
export class ImportOwnershipFileUseCase {
  private readonly importer: PgOwnershipFileImporter;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
  ) {
    this.importer = new PgOwnershipFileImporter(dataSource);
  }

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
