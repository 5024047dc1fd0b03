// bench:hamta-eir — the EIR hot path through the app's HTTP port: HAMTA_IMEIS known IMEIs
// (default 10,000,000) loaded into the in-memory index at start, then autocannon on loopback with
// random IMEIs: single GET /eir/check (goal ≥15,000/s, p99 ≤5 ms) and batch POST /eir/check of
// 1,000 IMEIs (goal ≥200,000 IMEIs/s). autocannon runs in a child process (bench/hamta/load-generator).
// Then, in the same run, the ceiling: a bare node:http server in this process answering the same
// probe of the same index (no auth, no Fastify, no Nest) under the same load; the ratio says how much
// of a shortfall is the app and how much the machine. Env: HAMTA_IMEIS, HAMTA_SECONDS (default 15),
// HAMTA_CONNECTIONS (single checks, default 32), HAMTA_CEILING (default on; 0 = skip), DATABASE_URL.
import 'reflect-metadata';
import { createServer } from 'node:http';
import { EirIndexService } from '../apps/device-registry/src/eir/application/eir-index.service.js';
import { startBenchRegistry } from './hamta/bench-app.js';
import { benchDatabase } from './hamta/bench-db.js';
import { benchIssuer } from './hamta/bench-issuer.js';
import { runLoad } from './hamta/load-generator.js';

const N = Number(process.env.HAMTA_IMEIS ?? 10_000_000);
const seconds = Number(process.env.HAMTA_SECONDS ?? 15);
const BASE = 35000000000000;

const db = await benchDatabase('eir');
const issuer = await benchIssuer();
try {
  let t = performance.now();
  await db.dataSource.query(
    `INSERT INTO sightings (imei, msisdn, imsi, operator_code, first_seen, last_seen, recent_days)
     SELECT ${BASE} + g * 7, 989120000000 + (g % 10000000), 432110000000000 + g, 'MCI',
            date '2020-01-01' + (g % 1500), date '2020-01-01' + (g % 1500), 1
       FROM generate_series(0, $1 - 1) g`,
    [N],
  );
  console.log(`seeded ${N.toLocaleString()} sightings in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const running = await startBenchRegistry(db.url, issuer);
  const index = running.app.get(EirIndexService);
  await index.ensureLoaded();
  console.log(`app up with ${index.size.toLocaleString()} IMEIs in the index after ${((performance.now() - t) / 1000).toFixed(1)} s; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  const token = await issuer.mint({ roles: ['operator'], operator_code: 'MCI' }, 'bench-op');
  const connections = Number(process.env.HAMTA_CONNECTIONS ?? 32);

  const single = await runLoad({ scenario: 'eir-single', url: running.url, connections, seconds, token, imeis: N, base: BASE });
  console.log(
    `single (${connections} connections): ${Math.round(single.requestsPerSecond).toLocaleString()} checks/s, p50 ${single.p50} ms, p90 ${single.p90} ms, p99 ${single.p99} ms, ` +
      `max ${single.max} ms, non-2xx ${single.non2xx}, errors ${single.errors} (goal ≥15,000/s, p99 ≤5 ms)`,
  );

  const batch = await runLoad({ scenario: 'eir-batch', url: running.url, connections: 8, seconds, token, imeis: N, base: BASE });
  console.log(
    `batch (8 connections): ${Math.round(batch.requestsPerSecond * 1000).toLocaleString()} IMEIs/s (${batch.requestsPerSecond.toFixed(0)} req/s × 1,000), ` +
      `p50 ${batch.p50} ms, p99 ${batch.p99} ms, non-2xx ${batch.non2xx} (goal ≥200,000 IMEIs/s)`,
  );
  await running.close();

  if (process.env.HAMTA_CEILING !== '0') {
    const bare = createServer((req, res) => {
      const imei = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('imei') ?? '';
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(index.check(imei)));
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const port = (bare.address() as { port: number }).port;
    const ceiling = await runLoad({ scenario: 'eir-single', url: `http://127.0.0.1:${port}`, connections, seconds, token, imeis: N, base: BASE });
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    console.log(
      `ceiling, bare node:http + the same index probe (${connections} connections): ${Math.round(ceiling.requestsPerSecond).toLocaleString()} checks/s, ` +
        `p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms, non-2xx ${ceiling.non2xx}; the app's single checks = ${(single.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2)}× the ceiling`,
    );
  }
} finally {
  await issuer.close();
  await db.drop();
}
