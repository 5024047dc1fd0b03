import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@darvazeh/testing';

export const VARNISHD = process.env.VARNISHD ?? '/usr/sbin/varnishd';
/** apps/ocsp-responder/cache-tier/ocsp.vcl, found from here whether run from source (jest) or from dist/. */
function findVcl(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'apps/ocsp-responder/cache-tier/ocsp.vcl');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('apps/ocsp-responder/cache-tier/ocsp.vcl not found');
}
const VCL = findVcl();

export interface RunningVarnish {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** cache-tier/ocsp.vcl with the backend pointed at `origin` (host:port). */
export function renderVcl(originHost: string, originPort: number, source = VCL): string {
  return readFileSync(source, 'utf8')
    .replace(/\.host = "[^"]*";/, `.host = "${originHost}";`)
    .replace(/\.port = "[^"]*";/, `.port = "${originPort}";`);
}

/**
 * Used by bench:ocsp and by apps/ocsp-responder/test/cache-tier.e2e-spec.ts.
 * Starts the real Varnish (foreground, its own pid, a private work directory) on a free loopback
 * port in front of `originPort`, the way scripts/kafka starts the broker; `stop()` ends that pid.
 */
/**
 * VSL tags masked by `quietLog`: every per-request record (sessions, requests, responses, backend
 * fetches, timestamps, VCL calls). Errors, CLI and notices are still logged.
 */
export const REQUEST_LOG_TAGS = [
  'SessOpen', 'SessClose', 'Link', 'Begin', 'End', 'ReqStart', 'ReqMethod', 'ReqURL', 'ReqProtocol', 'ReqHeader', 'ReqUnset', 'ReqAcct',
  'RespProtocol', 'RespStatus', 'RespReason', 'RespHeader', 'RespUnset', 'Timestamp', 'VCL_call', 'VCL_return', 'VCL_use', 'Hit', 'HitMiss', 'HitPass',
  'Storage', 'TTL', 'Length', 'Filters', 'BereqMethod', 'BereqURL', 'BereqProtocol', 'BereqHeader', 'BereqUnset', 'BereqAcct',
  'BerespProtocol', 'BerespStatus', 'BerespReason', 'BerespHeader', 'BerespUnset', 'Fetch_Body', 'BackendOpen', 'BackendReuse', 'BackendClose', 'BackendStart', 'VCL_acl',
];

/**
 * The cache tier's run-time parameters for a small node (what docker-compose and k8s pass too):
 * one thread pool (one per core only pays off with many cores), threads started up front so a
 * burst of connections never waits for the pool to grow, and — `quietLog` — no shared-memory
 * log record per request (varnishlog/varnishncsa then see nothing but errors; counters stay).
 */
export function varnishParams(options: { quietLog?: boolean } = {}): string[] {
  const params = ['thread_pools=1', 'thread_pool_min=100', 'thread_pool_max=1000', 'workspace_client=32k'];
  if (options.quietLog) params.push(`vsl_mask=${REQUEST_LOG_TAGS.map((t) => `-${t}`).join(',')}`);
  return params.flatMap((p) => ['-p', p]);
}

export async function startVarnish(
  originPort: number,
  options: { port?: number; vcl?: string; memory?: string; threads?: number; tuned?: boolean } = {},
): Promise<RunningVarnish> {
  const dir = mkdtempSync(join(tmpdir(), 'ocsp-varnish-'));
  const vclPath = join(dir, 'ocsp.vcl');
  writeFileSync(vclPath, renderVcl('127.0.0.1', originPort, options.vcl));
  const port = options.port ?? (await freePort());
  const args = ['-F', '-a', `127.0.0.1:${port}`, '-f', vclPath, '-n', join(dir, 'work'), '-s', `malloc,${options.memory ?? '64m'}`, '-T', 'none'];
  // As root, -j none keeps every process under this user instead of varnish's jail users.
  if (process.getuid?.() === 0) args.push('-j', 'none');
  if (options.threads) args.push('-p', `thread_pool_min=${options.threads}`, '-p', 'thread_pools=1');
  if (options.tuned) args.push(...varnishParams({ quietLog: true }));
  const child: ChildProcess = spawn(VARNISHD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`varnishd exited: ${stderr}`);
    }
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`varnishd did not listen on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid!, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
