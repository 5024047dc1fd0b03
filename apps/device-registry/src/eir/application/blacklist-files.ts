import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../shared/domain/hamta.errors.js';
import { dayNumber } from '../../shared/domain/calendar.js';
import { BlacklistExport } from '../domain/blacklist-export.js';

export interface CsvFile {
  filename: string;
  body: Readable;
}

/** The black list files operators pull for their EIRs: the full list, and one day's changes. */
@Injectable()
export class BlacklistFiles {
  constructor(@Inject(BlacklistExport) private readonly exporter: BlacklistExport) {}

  async full(): Promise<CsvFile> {
    return { filename: 'blacklist.csv', body: await this.exporter.full() };
  }

  /** `date` is YYYY-MM-DD (UTC day); an impossible date such as 2024-02-30 is a 400. */
  async changes(date: string): Promise<CsvFile> {
    const day = dayNumber(date);
    if (day === null) throw new InvalidInputError('HAMTA.DATE_INVALID', `${date} is not a date`, { errors: [{ field: 'date', message: 'not a real date' }] });
    return { filename: `blacklist-changes-${date}.csv`, body: await this.exporter.changesOn(day) };
  }
}
