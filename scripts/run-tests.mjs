#!/usr/bin/env node
// `npm test`: every test runs against a real PostgreSQL and a real Kafka broker, with nothing
// started by hand.
//   PostgreSQL: DATABASE_URL if set, else an embedded server under .data/test-postgres.
//   Kafka:      KAFKA_BROKERS if set, else a single-node KRaft broker from scripts/kafka,
//               stopped at the end (also on failure, Ctrl-C and SIGTERM).
// Before jest, the tree is built (tsc type-checks it; the launcher test runs dist/): a type
// error fails `npm test`. SKIP_BUILD=1 skips that when iterating on one folder.
// Extra arguments go to jest: `npm test -- apps/identity`, `npm test -- --selectProjects unit`.
// Env: TEST_TIMEOUT_MS (default 25 min) kills a jest run that hangs so CI fails instead of
// stalling until its own limit.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from './embedded-postgres.mjs';
import { startKafkaBroker } from './kafka/kafka-broker.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`[test] ${msg}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

const cleanups = [];
let kafkaPid = null;
let jest = null;
let exiting = false;

async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try { await fn(); } catch (err) { say(`cleanup failed: ${err.message}`); }
  }
}

async function finish(code) {
  if (exiting) return;
  exiting = true;
  await cleanup();
  process.exit(code);
}

function onSignal(signal) {
  say(`${signal}: stopping`);
  // Synchronous first: embedded-postgres registers its own exit hook that may end this process
  // before our async cleanup finishes; the JVM shuts itself down cleanly on SIGTERM.
  if (kafkaPid) { try { process.kill(kafkaPid, 'SIGTERM'); } catch { /* gone */ } }
  if (jest && jest.exitCode === null) { try { jest.kill(signal); } catch { /* gone */ } }
  void finish(signal === 'SIGINT' ? 130 : 143);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Whatever ends this process (including embedded-postgres's own exit hook), jest goes with it.
process.on('exit', () => {
  if (jest && jest.exitCode === null) { try { jest.kill('SIGKILL'); } catch { /* gone */ } }
});

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? cmd)} exited with ${code}`))));
  });
}

async function build() {
  if (process.env.SKIP_BUILD === '1') return { how: 'skipped (SKIP_BUILD=1)' };
  const t0 = Date.now();
  await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  await run(process.execPath, [path.join(ROOT, 'node_modules/tsc-alias/dist/bin/index.js'), '-p', 'tsconfig.build.json']);
  return { how: `built in ${secs(Date.now() - t0)}` };
}

async function databaseUrl() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, how: 'DATABASE_URL' };
  const pg = await startEmbeddedPostgres({ dataDir: path.join(ROOT, '.data', 'test-postgres'), fast: true });
  cleanups.push(() => pg.stop());
  return { url: pg.url, how: `embedded PostgreSQL, ${secs(pg.startMs)}` };
}

async function kafkaBrokers() {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS, how: 'KAFKA_BROKERS' };
  const t0 = Date.now();
  const broker = await startKafkaBroker({
    stateFile: path.join(ROOT, '.cache', 'kafka', 'test-broker.json'),
  });
  kafkaPid = broker.pid;
  cleanups.push(() => broker.stop());
  await warmUpGroupCoordinator(broker.brokers);
  return { brokers: broker.brokers, how: `Kafka ${broker.kafkaVersion} KRaft, ${secs(Date.now() - t0)}` };
}

/**
 * A fresh broker creates `__consumer_offsets` on the first group request and answers "coordinator
 * not available" until it is loaded. Do that once here, so the first tests do not race it.
 */
async function warmUpGroupCoordinator(brokers) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({ clientId: 'run-tests-warmup', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await admin.fetchOffsets({ groupId: 'run-tests-warmup', topics: [] });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`Kafka group coordinator not ready after 60 s: ${err.message}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

function jestArgs(extra) {
  const args = ['--experimental-vm-modules', path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js')];
  const has = (...names) => extra.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));
  if (!has('--maxWorkers', '-w', '--runInBand', '-i')) args.push('--maxWorkers=2');
  // A leaked handle in one test must not hang CI; the exit code still reports failures.
  if (!has('--forceExit', '--watch', '--watchAll')) args.push('--forceExit');
  if (process.env.CI && !has('--ci')) args.push('--ci');
  return [...args, ...extra];
}

async function main() {
  const t0 = Date.now();
  const [db, kafka, built] = await Promise.allSettled([databaseUrl(), kafkaBrokers(), build()]);
  for (const r of [db, kafka, built]) {
    if (r.status === 'rejected') {
      say(`infrastructure or build failed: ${r.reason?.stack || r.reason}`);
      return finish(1);
    }
  }
  say(`infra ready in ${secs(Date.now() - t0)}: DATABASE_URL=${db.value.url} (${db.value.how}); `
    + `KAFKA_BROKERS=${kafka.value.brokers} (${kafka.value.how}); ${built.value.how}`);

  if (exiting) return undefined;

  const env = {
    ...process.env,
    DATABASE_URL: db.value.url,
    KAFKA_BROKERS: kafka.value.brokers,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  jest = spawn(process.execPath, jestArgs(process.argv.slice(2)), { cwd: ROOT, env, stdio: 'inherit' });

  const limitMs = Number(process.env.TEST_TIMEOUT_MS || 25 * 60_000);
  const timer = setTimeout(() => {
    say(`jest still running after ${secs(limitMs)}: killing it`);
    jest.kill('SIGKILL');
  }, limitMs);
  timer.unref();

  const code = await new Promise((resolve) => {
    jest.once('error', (err) => { say(`could not run jest: ${err.message}`); resolve(1); });
    jest.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  clearTimeout(timer);
  say(`jest exited with ${code} after ${secs(Date.now() - t0)}`);
  return finish(code);
}

main().catch((err) => {
  say(err?.stack || String(err));
  return finish(1);
});
