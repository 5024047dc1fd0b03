// bench:hamta-register — pre-scheme registration decisions through the app's HTTP port with
// HAMTA_SIGHTINGS sightings (default 10,000,000) and as many subscriber-ownership rows loaded.
// Every request is a different citizen with their own ES256 token (verified by the app's guard,
// as in production) registering a different device; the mix is ~80% approvals and ~20% rejections
// (SIM owned by someone else, device never seen before the cut-off), each decision recorded with
// its outbox event in one transaction. Goal: p99 ≤ 20 ms.
// Env: HAMTA_SIGHTINGS, HAMTA_SECONDS (default 15), HAMTA_CONNECTIONS (default "4,8,16,32"),
// HAMTA_CITIZENS (tokens minted up front, default 80,000), DATABASE_URL. autocannon runs in a child
// process (bench/hamta/load-generator).
import 'reflect-metadata';
import { startBenchRegistry } from './hamta/bench-app.js';
import { benchDatabase } from './hamta/bench-db.js';
import { benchIssuer } from './hamta/bench-issuer.js';
import { runLoad } from './hamta/load-generator.js';

const N = Number(process.env.HAMTA_SIGHTINGS ?? 10_000_000);
const seconds = Number(process.env.HAMTA_SECONDS ?? 15);
/**
 * Closed-loop levels (each connection sends its next request when the answer comes). autocannon's
 * rate limit sends each second's requests in one burst, which measures bursts, not a steady rate.
 */
const levels = (process.env.HAMTA_CONNECTIONS ?? '4,8,16,32').split(',').map(Number);
const citizens = Math.min(Number(process.env.HAMTA_CITIZENS ?? 80_000), N - 1);
const BASE = 35000000000000;
const MSISDN0 = 989120000000;

// Device g: IMEI core BASE + 7g, seen before the cut-off with MSISDN0 + g, which national code nc(g) owns.
function nationalCode(g: number): string {
  const base = String(100_000_000 + g);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(base[i]) * (10 - i);
  const r = sum % 11;
  return base + (r < 2 ? r : 11 - r);
}
/** The same check digit in SQL, over b = 100000000 + g (digit k from the right weighs k + 2). */
const NATIONAL_CODE_SQL = `(100000000 + g)::text || (SELECT CASE WHEN s % 11 < 2 THEN s % 11 ELSE 11 - s % 11 END FROM (SELECT
  ((100000000 + g) / 1 % 10) * 2 + ((100000000 + g) / 10 % 10) * 3 + ((100000000 + g) / 100 % 10) * 4 + ((100000000 + g) / 1000 % 10) * 5 +
  ((100000000 + g) / 10000 % 10) * 6 + ((100000000 + g) / 100000 % 10) * 7 + ((100000000 + g) / 1000000 % 10) * 8 +
  ((100000000 + g) / 10000000 % 10) * 9 + ((100000000 + g) / 100000000 % 10) * 10 AS s) x)::text`;

const db = await benchDatabase('register');
const issuer = await benchIssuer();
try {
  let t = performance.now();
  await db.dataSource.query(`ALTER TABLE sightings SET (autovacuum_enabled = false)`);
  await db.dataSource.query(
    `INSERT INTO sightings (imei, msisdn, imsi, operator_code, first_seen, last_seen, recent_days)
     SELECT ${BASE} + g * 7, ${MSISDN0} + g, 432110000000000 + g, 'MCI', date '2019-01-01' + (g % 700), date '2019-01-01' + (g % 700) + (g % 5), 1
       FROM generate_series(0, $1 - 1) g`,
    [N],
  );
  await db.dataSource.query(
    `INSERT INTO subscriber_ownerships (msisdn, valid_from, national_code, operator_code)
     SELECT (${MSISDN0} + g)::text, timestamptz '2018-01-01', ${NATIONAL_CODE_SQL}, 'MCI' FROM generate_series(0, $1 - 1) g`,
    [N],
  );
  await db.dataSource.query(`ALTER TABLE sightings RESET (autovacuum_enabled)`);
  await db.dataSource.query(`VACUUM ANALYZE sightings`);
  await db.dataSource.query(`VACUUM ANALYZE subscriber_ownerships`);
  const [check] = await db.dataSource.query(`SELECT national_code FROM subscriber_ownerships WHERE msisdn = $1`, [String(MSISDN0 + 12345)]);
  if (check?.national_code !== nationalCode(12345)) throw new Error(`seeded national code ${check?.national_code} ≠ ${nationalCode(12345)}`);
  console.log(`seeded ${N.toLocaleString()} sightings and ${N.toLocaleString()} ownership rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const tokens: string[] = [];
  for (let g = 0; g < citizens; g++) tokens.push(await issuer.mint({ roles: ['citizen'], national_code: nationalCode(g) }, `citizen-${g}`));
  console.log(`minted ${citizens.toLocaleString()} citizen tokens in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const running = await startBenchRegistry(db.url, issuer);

  for (const connections of levels) {
    const before = await db.dataSource.query(`SELECT outcome, count(*)::int n FROM registrations GROUP BY outcome`);
    // Each level gets citizens nobody used yet (so every decision is a fresh one).
    const used = Number((await db.dataSource.query(`SELECT count(*)::int n FROM registrations`))[0].n);
    const r = await runLoad({ scenario: 'register', url: running.url, connections, seconds, tokens: tokens.slice(used), first: used, sightings: N, base: BASE, msisdn0: MSISDN0 });
    await new Promise((res) => setTimeout(res, 2000));
    const after = await db.dataSource.query(`SELECT outcome, count(*)::int n FROM registrations GROUP BY outcome`);
    const delta = (o: string) =>
      (after.find((x: { outcome: string }) => x.outcome === o)?.n ?? 0) - (before.find((x: { outcome: string }) => x.outcome === o)?.n ?? 0);
    console.log(
      `${connections} connections: ${Math.round(r.requestsPerSecond).toLocaleString()} decisions/s, p50 ${r.p50} ms, p90 ${r.p90} ms, p99 ${r.p99} ms, ` +
        `max ${r.max} ms; approved ${delta('approved')}, rejected ${delta('rejected')}, non-2xx ${r.non2xx}, errors ${r.errors} (goal p99 ≤20 ms)`,
    );
  }
  await running.close();
} finally {
  await issuer.close();
  await db.drop();
}
