// bench:karpoosheh-inbox — inbox listing (first page, 20 items, newest first) and unread count
// through HTTP at concurrency 50, over KARPOOSHEH_ENTRIES inbox entries (default 20,000,000)
// of entries/10 recipients and KARPOOSHEH_NOTICES notices (default 1,000,000). Goal: ≥ 3,000
// requests/s, p99 ≤ 30 ms. Then, in the same run, the ceiling (bench/karpoosheh/inbox-ceiling.ts)
// and ours/ceiling.
//
// The dataset is loaded once into a kept database (karpoosheh_bench_test_inbox_<entries>) and
// reused while its marker matches (sizes and the migrations it was loaded under); a fresh load
// drops the inbox_entries indexes and keys, INSERTs … SELECT generate_series on two connections,
// rebuilds them exactly as the migrations defined them, then VACUUM ANALYZE (index-only scans
// need the visibility map). KARPOOSHEH_RELOAD=1 forces a reload; KARPOOSHEH_DROP=1 drops it after.
// Tokens: KARPOOSHEH_TOKENS citizens (default 8,000) spread over all recipients, one picked at
// random per request. Env: KARPOOSHEH_SECONDS (15), KARPOOSHEH_CEILING (1; 0 skips), DATABASE_URL.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { KARPOOSHEH_MIGRATIONS } from '../apps/karpoosheh/src/migrations/index.js';
import { AGENCY, benchApp, nationalCode, nationalCodeSql } from './karpoosheh/bench-app.js';
import { startInboxCeiling } from './karpoosheh/inbox-ceiling.js';
import { loadInWorker, type LoadFigures } from './karpoosheh/load.js';

const ENTRIES = Number(process.env.KARPOOSHEH_ENTRIES ?? 20_000_000);
const RECIPIENTS = Math.max(1, Math.floor(ENTRIES / 10));
const NOTICES = Number(process.env.KARPOOSHEH_NOTICES ?? 1_000_000);
const TOKENS = Math.min(RECIPIENTS, Number(process.env.KARPOOSHEH_TOKENS ?? 8_000));
const seconds = Number(process.env.KARPOOSHEH_SECONDS ?? 15);
const withCeiling = process.env.KARPOOSHEH_CEILING !== '0';
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const uuidOf = (n: string) => `('00000000-0000-7000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const marker = JSON.stringify({ entries: ENTRIES, recipients: RECIPIENTS, notices: NOTICES, migrations: KARPOOSHEH_MIGRATIONS.map((m) => m.name), v: 2 });
const database = `karpoosheh_bench_test_inbox_${ENTRIES}`;

// No entry becomes due for deemed delivery during the run (the dataset spans 232 days): the
// effective job would otherwise rewrite millions of rows and change the reused dataset.
const app = await benchApp('inbox', { NOTIFY_ENABLED: 'false', EFFECTIVE_AFTER_DAYS: '365' }, { database, keep: process.env.KARPOOSHEH_DROP !== '1' });
try {
  await app.db.query('CREATE TABLE IF NOT EXISTS bench_dataset (marker text NOT NULL)');
  const stored = (await app.db.query<{ marker: string }>('SELECT marker FROM bench_dataset')).rows[0]?.marker;
  let loadNote = 'reused';
  if (stored !== marker || process.env.KARPOOSHEH_RELOAD === '1') {
    const t = performance.now();
    await load();
    loadNote = `loaded in ${((performance.now() - t) / 1000).toFixed(0)} s`;
  }
  const count = Number((await app.db.query('SELECT reltuples::bigint AS n FROM pg_class WHERE relname = $1', ['inbox_entries'])).rows[0].n);
  const tokens: string[] = [];
  const stride = Math.max(1, Math.floor(RECIPIENTS / TOKENS));
  for (let i = 0; i < TOKENS; i++) tokens.push(await app.mint({ roles: ['citizen'], national_code: nationalCode(100_000_000 + i * stride) }, `citizen-${i}`));
  const check = await fetch(`${app.svc.url}/inbox?limit=20`, { headers: { authorization: `Bearer ${tokens[0]}` } });
  const page = (await check.json()) as { items: unknown[] };
  if (check.status !== 200 || page.items.length !== 10) throw new Error(`probe listing answered ${check.status} with ${page.items?.length} items`);
  const line = (r: LoadFigures) => `${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.non2xx} non-2xx, ${r.errors} errors`;
  const before = loadavg();
  const ours = await loadInWorker({ url: app.svc.url, connections: 50, seconds, scenario: 'inbox', tokens });
  console.log(
    `inbox: ${ENTRIES.toLocaleString('en')} entries (~${count.toLocaleString('en')} by the planner) / ${RECIPIENTS.toLocaleString('en')} recipients / ${NOTICES.toLocaleString('en')} notices (${loadNote}); ` +
      `${TOKENS.toLocaleString('en')} citizens, concurrency 50, ${seconds} s, list + unread-count alternating: ${line(ours)}; load average ${before} → ${loadavg()}`,
  );
  if (withCeiling) {
    await app.svc.close();
    const ceiling = await startInboxCeiling(app.dbUrl);
    const c = await loadInWorker({ url: ceiling.url, connections: 50, seconds, scenario: 'inbox', tokens });
    await ceiling.close();
    console.log(`ceiling (node:http + pg, same two statements, token decoded not verified): ${line(c)}; load average ${loadavg()}`);
    console.log(`ours/ceiling = ${(ours.requestsPerSecond / c.requestsPerSecond).toFixed(2)} (throughput), p99 ${ours.p99} ms vs ${c.p99} ms`);
  }
} finally {
  await app.close();
}
process.exit(0);

async function load(): Promise<void> {
  const db = app.db;
  await db.query('TRUNCATE bench_dataset, inbox_entries, audit_log, notice_attachments, notification_jobs, batch_chunks, batches, notices CASCADE');
  // Keys and indexes of inbox_entries as the migrations made them, rebuilt after the load.
  const indexes = (await db.query<{ def: string }>(`SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'inbox_entries'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`)).rows.map((r) => r.def);
  const constraints = (await db.query<{ name: string; def: string }>(`SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'inbox_entries'::regclass AND contype IN ('p','f','u')`)).rows;
  for (const k of constraints.filter((c) => c.def.startsWith('FOREIGN'))) await db.query(`ALTER TABLE inbox_entries DROP CONSTRAINT ${k.name}`);
  for (const k of constraints.filter((c) => !c.def.startsWith('FOREIGN'))) await db.query(`ALTER TABLE inbox_entries DROP CONSTRAINT ${k.name}`);
  for (const def of indexes) await db.query(`DROP INDEX ${/INDEX (\S+) ON/.exec(def)![1]}`);
  await db.query(
    `INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, recipient_count, created_at)
     SELECT ${uuidOf('n')}, $1, 'ابلاغیه شماره ' || n, 'متن', 'text', (ARRAY['tax','water','power','court'])[1 + n % 4], 20, now() - interval '233 days' + n * interval '10 seconds'
       FROM generate_series(0, ${NOTICES - 1}) n`,
    [AGENCY],
  );
  await db.query(`INSERT INTO agencies (agency_id, name, client_id, updated_at) VALUES ($1, 'سازمان امور مالیاتی', 'bench', now()) ON CONFLICT DO NOTHING`, [AGENCY]);
  // Entry g: recipient g % R, its (g / R)-th notice (recipient i's 10 notices are distinct: 7919·9 < NOTICES);
  // a third VIEWED, a sixth EFFECTIVE, the rest DELIVERED; one second apart, ending about a day ago.
  const rid = nationalCodeSql(`100000000 + g % ${RECIPIENTS}`);
  const insert = (from: number, to: number) =>
    `INSERT INTO inbox_entries (notice_id, recipient_id, state, created_at, delivered_at, read_at, read_by, effective_at)
     SELECT ${uuidOf(`((g % ${RECIPIENTS}) + 7919 * (g / ${RECIPIENTS})) % ${NOTICES}`)}, r, s, t, t,
            CASE WHEN s = 'VIEWED' THEN t + interval '1 day' END, CASE WHEN s = 'VIEWED' THEN r END, CASE WHEN s = 'EFFECTIVE' THEN t + interval '10 days' END
       FROM (SELECT g, ${rid} AS r, CASE WHEN g % 3 = 0 THEN 'VIEWED' WHEN g % 6 = 1 THEN 'EFFECTIVE' ELSE 'DELIVERED' END AS s,
                    now() - interval '232 days' + g * interval '1 second' AS t FROM generate_series(${from}, ${to}) g) x`;
  const half = Math.floor(ENTRIES / 2);
  const url = app.dbUrl;
  await Promise.all(
    [[0, half - 1], [half, ENTRIES - 1]].map(async ([from, to]) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('SET synchronous_commit = off');
      for (let f = from; f <= to; f += 2_000_000) await c.query(insert(f, Math.min(to, f + 2_000_000 - 1)));
      await c.end();
    }),
  );
  // Rebuild on two connections, each with its own sort memory.
  const rebuild = [...constraints.filter((c) => !c.def.startsWith('FOREIGN')).map((k) => `ALTER TABLE inbox_entries ADD CONSTRAINT ${k.name} ${k.def}`), ...indexes];
  const queue = [...rebuild];
  await Promise.all(
    [0, 1].map(async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`SET maintenance_work_mem = '1GB'`);
      for (let sql = queue.shift(); sql; sql = queue.shift()) await c.query(sql);
      await c.end();
    }),
  );
  for (const k of constraints.filter((c) => c.def.startsWith('FOREIGN'))) await db.query(`ALTER TABLE inbox_entries ADD CONSTRAINT ${k.name} ${k.def}`);
  await db.query('VACUUM (ANALYZE) inbox_entries');
  await db.query('VACUUM (ANALYZE) notices');
  await db.query('INSERT INTO bench_dataset (marker) VALUES ($1)', [marker]);
}
