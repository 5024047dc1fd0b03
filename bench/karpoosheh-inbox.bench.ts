// bench:karpoosheh-inbox — inbox listing (first page, 20 items, newest first) and unread count
// through HTTP at concurrency 50, over KARPOOSHEH_ENTRIES inbox entries (default 2,000,000; the
// goal's 20,000,000 loads the same way) spread over entries/10 recipients and 100,000 notices.
// Tokens: KARPOOSHEH_TOKENS citizens (default 5,000) chosen at random per request.
// Goal: ≥ 3,000 requests/s, p99 ≤ 30 ms. Env: KARPOOSHEH_SECONDS (15), DATABASE_URL.
import 'reflect-metadata';
import { benchApp, nationalCode, nationalCodeSql } from './karpoosheh/bench-app.js';
import { loadInWorker } from './karpoosheh/load.js';

const ENTRIES = Number(process.env.KARPOOSHEH_ENTRIES ?? 2_000_000);
const RECIPIENTS = Math.max(1, Math.floor(ENTRIES / 10));
const NOTICES = 100_000;
const TOKENS = Math.min(RECIPIENTS, Number(process.env.KARPOOSHEH_TOKENS ?? 5_000));
const seconds = Number(process.env.KARPOOSHEH_SECONDS ?? 15);
const uuidOf = (n: string) => `('00000000-0000-7000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

const app = await benchApp('inbox', { NOTIFY_ENABLED: 'false' });
try {
  let t = performance.now();
  await app.db.query(
    `INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, recipient_count, created_at)
     SELECT ${uuidOf('n')}, '0190a1b2-0000-7000-8000-0000000b0001', 'ابلاغیه شماره ' || n, 'متن', 'text', (ARRAY['tax','water','power','court'])[1 + n % 4], 1, timestamp '2026-01-01' + n * interval '1 minute'
       FROM generate_series(0, ${NOTICES - 1}) n`,
  );
  const step = 1_000_000;
  for (let from = 0; from < ENTRIES; from += step) {
    const to = Math.min(ENTRIES, from + step) - 1;
    // Entry g: recipient g % R, its (g / R)-th notice; recipient i's 10 notices are distinct (stride 7919 < 100,000/10).
    await app.db.query(
      `INSERT INTO inbox_entries (notice_id, recipient_id, state, created_at, delivered_at, read_at, read_by)
       SELECT ${uuidOf(`((g % ${RECIPIENTS}) + 7919 * (g / ${RECIPIENTS})) % ${NOTICES}`)}, ${nationalCodeSql(`100000000 + g % ${RECIPIENTS}`)},
              CASE WHEN g % 3 = 0 THEN 'VIEWED' ELSE 'DELIVERED' END,
              timestamp '2026-01-01' + g * interval '1 second', timestamp '2026-01-01' + g * interval '1 second',
              CASE WHEN g % 3 = 0 THEN timestamp '2026-06-01' END, CASE WHEN g % 3 = 0 THEN ${nationalCodeSql(`100000000 + g % ${RECIPIENTS}`)} END
         FROM generate_series(${from}, ${to}) g`,
    );
  }
  await app.db.query('ANALYZE inbox_entries; ANALYZE notices');
  const loadSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const tokens: string[] = [];
  for (let i = 0; i < TOKENS; i++) tokens.push(await app.mint({ roles: ['citizen'], national_code: nationalCode(100_000_000 + i) }, `citizen-${i}`));
  // autocannon in a child process (not in the service's event loop).
  const result = await loadInWorker({ url: app.svc.url, connections: 50, seconds, scenario: 'inbox', tokens });
  console.log(
    `inbox: ${ENTRIES.toLocaleString('en')} entries / ${RECIPIENTS.toLocaleString('en')} recipients / ${NOTICES.toLocaleString('en')} notices (loaded in ${loadSeconds.toFixed(0)} s); ` +
      `concurrency 50, ${seconds} s, list + unread-count alternating: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.non2xx} non-2xx, ${result.errors} errors; load average ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
} finally {
  await app.close();
}
process.exit(0);
