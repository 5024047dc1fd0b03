import type { Readable } from 'node:stream';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createHamtaTestDatabase } from '../../../test/support/hamta-test-db.js';
import { imeiFromCore } from '@darvazeh/core';
import { dayNumber } from '../../shared/domain/calendar.js';
import { PgBlacklistExport } from './pg-blacklist-export.js';

const DAY = '2024-03-01';
const ROWS = 300_000;

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('black list export (COPY streamed as CSV)', () => {
  let db: Awaited<ReturnType<typeof createHamtaTestDatabase>>;
  let ds: DataSource;
  let exporter: PgBlacklistExport;
  let pool: Pool;

  beforeAll(async () => {
    db = await createHamtaTestDatabase('blacklist_export');
    ds = db.dataSource;
    exporter = new PgBlacklistExport(ds);
    pool = (ds.driver as unknown as { master: Pool }).master;
    // Far more than fits in socket buffers, so an unread export really stalls its COPY.
    await ds.query(
      `INSERT INTO blacklist_changes (imei, change, reason, at)
       SELECT 35209900000000 + g, 'added', 'REPORTED_STOLEN', timestamptz '${DAY}T10:00:00Z' + g * interval '1 ms' FROM generate_series(1, ${ROWS}) g`,
    );
  }, 60_000);
  afterAll(() => db?.drop());

  it("streams one day's changes with full 15-digit IMEIs, header first, in order", async () => {
    const lines = (await readAll(await exporter.changesOn(dayNumber(DAY)!))).trimEnd().split('\n');
    expect(lines[0]).toBe('imei,change,reason,at');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[1]).toBe(`${imeiFromCore(35209900000001)},added,REPORTED_STOLEN,${DAY}T10:00:00Z`);
    expect(lines[ROWS]).toBe(`${imeiFromCore(35209900000000 + ROWS)},added,REPORTED_STOLEN,${DAY}T10:05:00Z`);
    expect(await readAll(await exporter.changesOn(dayNumber('2024-03-02')!))).toBe('imei,change,reason,at\n');
  });

  it('gives its connection back after a complete export, and ends the COPY of an abandoned one', async () => {
    await readAll(await exporter.full());
    expect(pool.totalCount - pool.idleCount).toBe(0);

    const abandoned = await exporter.changesOn(dayNumber(DAY)!);
    const first = await new Promise<Buffer>((resolve) => abandoned.once('data', resolve));
    expect(String(first)).toMatch(/^imei,change,reason,at\n/);
    abandoned.destroy(); // the HTTP client went away mid-download
    const copying = async () =>
      Number((await ds.query(`SELECT count(*) n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (%' AND pid <> pg_backend_pid()`))[0].n);
    for (let i = 0; i < 100 && (await copying()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await copying()).toBe(0);
    expect(pool.totalCount - pool.idleCount).toBe(0);
    // The pool still serves: no broken connection was handed back to it.
    for (let i = 0; i < 4; i++) expect(await ds.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  }, 30_000);
});
