// bench:hamta-import — generates a realistic sightings export (3 operators, HAMTA_ROWS rows in
// total, HAMTA_DEVICES devices of which a quarter dual-SIM, ~0.3% malformed IMEIs) and imports each
// operator's file through the same streamed COPY → validate → merge path as the upload endpoint.
// Goal: ≥150,000 rows/s validated and merged. Env: HAMTA_ROWS (default 10,000,000), HAMTA_DEVICES
// (default 3,200,000 → ~4M IMEIs), HAMTA_SECOND_PASS (default on: then the next 10 days' files of the
// same devices into the loaded table — the UPDATE branch of the merge; 0 = skip), DATABASE_URL.
import 'reflect-metadata';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { TypeOrmTransactionRunner } from '@darvazeh/database';
import { PgSightingFileImporter } from '../apps/device-registry/src/sightings/persistence/pg-sighting-file.importer.js';
import { benchDatabase } from './hamta/bench-db.js';
import { generateSightingFiles, type GeneratedFile } from './hamta/sightings-generator.js';

const rows = Number(process.env.HAMTA_ROWS ?? 10_000_000);
const devices = Number(process.env.HAMTA_DEVICES ?? 3_200_000);
const dir = `/tmp/hamta-bench-${process.pid}`;
mkdirSync(dir, { recursive: true });
const fromDay = Math.floor(Date.now() / 86_400_000) - 40;

let t = performance.now();
const files = await generateSightingFiles({ dir, rows, devices, fromDay, days: 30 });
const bytes = files.reduce((s, f) => s + statSync(f.path).size, 0);
console.log(`generated ${rows.toLocaleString()} rows (${(bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const db = await benchDatabase('import');
try {
  const tx = new TypeOrmTransactionRunner(db.dataSource);
  const importer = new PgSightingFileImporter(tx);
  const thresholds = { maxNullImeiRatio: 0.01, maxMalformedImeiRatio: 0.02, maxMalformedOtherRatio: 0.02, maxForeignImsiRatio: 0 };
  const importAll = async (label: string, list: GeneratedFile[], from: number, days: number) => {
    const start = performance.now();
    let merged = 0;
    for (const f of list) {
      t = performance.now();
      const judged = await importer.read({
        operatorCode: f.operator.code,
        operatorPlmns: [f.operator.plmn],
        fromDay: from,
        toDay: from + days - 1,
        today: fromDay + 40,
        body: createReadStream(f.path, { highWaterMark: 1 << 20 }),
        maxBytes: 4 * 1024 ** 3,
        thresholds,
      });
      // As the upload's use case does: judged with no transaction open, then merged in one.
      const { report, seen } = await tx.run(() => importer.record(judged));
      const s = (performance.now() - t) / 1000;
      merged += report.rowsMerged;
      console.log(
        `${label} ${f.operator.code}: ${report.outcome}, ${report.rowsTotal.toLocaleString()} rows (${report.rowsSkipped} skipped) → ${report.keysMerged.toLocaleString()} keys, ` +
          `${seen?.length.toLocaleString()} IMEIs, ${s.toFixed(1)} s = ${Math.round(report.rowsTotal / s).toLocaleString()} rows/s ${JSON.stringify(report.timings)}`,
      );
    }
    const total = (performance.now() - start) / 1000;
    const [{ n, imeis }] = await db.dataSource.query('SELECT count(*) n, count(DISTINCT imei) imeis FROM sightings');
    console.log(
      `${label} TOTAL ${rows.toLocaleString()} rows in ${total.toFixed(1)} s = ${Math.round(rows / total).toLocaleString()} rows/s (goal ≥150,000); ` +
        `sightings rows ${Number(n).toLocaleString()}, distinct IMEIs ${Number(imeis).toLocaleString()}, merged ${merged.toLocaleString()}`,
    );
  };
  await importAll('first import (empty table)', files, fromDay, 30);
  if (process.env.HAMTA_SECOND_PASS !== '0') {
    // The next 10 days' files of the same devices: every key exists, so the merge takes its UPDATE branch.
    const again = await generateSightingFiles({ dir, rows, devices, fromDay: fromDay + 30, days: 10 });
    await importAll('next days (existing keys)', again, fromDay + 30, 10);
  }
} finally {
  if (process.env.HAMTA_KEEP_DB !== '1') await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
