import { parse } from 'csv-parse/sync';
import { invalid } from '../../shared/domain/karpoosheh.errors.js';

/**
 * Recipients from a CSV file: the first column of each row (an optional header row such as
 * `national_code` is skipped); blank lines ignored. Check digits are the use case's business.
 */
export function recipientsFromCsv(bytes: Buffer): string[] {
  let rows: string[][];
  try {
    rows = parse(bytes, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true });
  } catch (e) {
    throw invalid('KARPOOSHEH.CSV_INVALID', `The recipients file is not valid CSV: ${e instanceof Error ? e.message : String(e)}`, [{ field: 'recipientsFile', message: 'not CSV' }]);
  }
  const out: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const cell = rows[i][0] ?? '';
    if (i === 0 && !/[0-9۰-۹٠-٩]/.test(cell)) continue;
    out.push(cell);
  }
  return out;
}
