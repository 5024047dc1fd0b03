import { Transform, pipeline, type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { imeiFromCore } from '@darvazeh/core';
import { copyOut } from '../../shared/persistence/pg-client.js';
import { BlacklistExport } from '../domain/blacklist-export.js';

/**
 * The black list as CSV files, streamed straight from PostgreSQL with COPY (no row objects: the
 * full list of a national registry runs to millions of lines). IMEIs are stored as their 14-digit
 * core; the check digit is completed on the way out.
 */
@Injectable()
export class PgBlacklistExport extends BlacklistExport {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    super();
  }

  /** `imei,reason` of every stolen or blocked device's IMEIs, in IMEI order. */
  override async full(): Promise<Readable> {
    return this.csv(
      'imei,reason',
      `SELECT di.imei, CASE WHEN d.blocked THEN 'BLOCKED' ELSE 'REPORTED_STOLEN' END
         FROM device_imeis di JOIN devices d ON d.id = di.device_id WHERE d.stolen OR d.blocked ORDER BY di.imei`,
    );
  }

  /** `imei,change,reason,at` of one UTC day (`day` since 1970), in the order they happened. */
  override async changesOn(day: number): Promise<Readable> {
    if (!Number.isSafeInteger(day)) throw new RangeError(`day must be an integer, got ${day}`);
    // COPY takes no bind parameters: `day` is an integer checked above, never text from a request.
    return this.csv(
      'imei,change,reason,at',
      `SELECT imei, change, reason, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
         FROM blacklist_changes WHERE at >= timestamp '1970-01-01' + interval '1 day' * ${day}
          AND at < timestamp '1970-01-01' + interval '1 day' * ${day + 1} ORDER BY id`,
    );
  }

  private async csv(header: string, sql: string): Promise<Readable> {
    const rows = await copyOut(this.dataSource, `COPY (${sql}) TO STDOUT WITH (FORMAT csv)`);
    // pipeline, not pipe: a download abandoned half-way destroys the COPY (and its connection).
    return pipeline(rows, completeImeis(header), () => undefined);
  }
}

/** Prefixes the header and turns each line's leading 14-digit core into the full 15-digit IMEI. */
function completeImeis(header: string): Transform {
  let rest = '';
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop() ?? '';
      let out = first ? header + '\n' : '';
      first = false;
      for (const line of lines) {
        const comma = line.indexOf(',');
        out += imeiFromCore(Number(line.slice(0, comma))) + line.slice(comma) + '\n';
      }
      done(null, out);
    },
    flush(done) {
      done(null, first ? header + '\n' : undefined);
    },
  });
}
