import { Inject, Injectable } from '@nestjs/common';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { withRawClient } from '../../shared/persistence/pg-client.js';
import { BLOCKED, REGISTERED, STOLEN } from '../domain/imei-index.js';
import { ImeiIndexSource } from '../domain/imei-index.source.js';

/** The EIR index's rows streamed with COPY on one raw client: no row objects for 10M IMEIs. */
@Injectable()
export class PgImeiIndexSource extends ImeiIndexSource {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    super();
  }

  override async load(onSeen: (imei: number, day: number) => void, onFlags: (imei: number, flags: number) => void): Promise<void> {
    await withRawClient(this.dataSource, async (client) => {
      const stream = async (sql: string, apply: (imei: number, v: number) => void) => {
        let rest = '';
        for await (const chunk of client.query(copyTo(`COPY (${sql}) TO STDOUT`)) as AsyncIterable<Buffer>) {
          const lines = (rest + chunk.toString('latin1')).split('\n');
          rest = lines.pop() ?? '';
          for (const l of lines) {
            const tab = l.indexOf('\t');
            apply(Number(l.slice(0, tab)), Number(l.slice(tab + 1)));
          }
        }
      };
      await stream(
        `SELECT imei, min(first_seen) - date '1970-01-01' FROM sightings GROUP BY imei`,
        onSeen,
      );
      await stream(
        `SELECT di.imei, ${REGISTERED} | (CASE WHEN d.stolen THEN ${STOLEN} ELSE 0 END) | (CASE WHEN d.blocked THEN ${BLOCKED} ELSE 0 END)
           FROM device_imeis di JOIN devices d ON d.id = di.device_id`,
        onFlags,
      );
    });
  }
}
