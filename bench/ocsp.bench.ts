/**
 * bench:ocsp — our OCSP responder vs OpenSSL's own (`openssl ocsp -index …`, single process and
 * `-multi 2`) on the same CA data (10,000 certificates), with the same closed-loop load generator
 * that checks every reply, at 1, 10 and 50 connections, on the pre-signed path (no nonce) and the
 * live-signing path (nonce echoed, ECDSA P-256); plus revocation → `revoked` latency through
 * Kafka. OpenSSL 3 binds every interface, so it and its load generator run in a private network
 * namespace (`unshare -n`, loopback only). Run it alone on the machine:
 *
 *   DATABASE_URL=… KAFKA_BROKERS=… npm run bench:ocsp
 *
 * Env: DATABASE_URL (a throw-away database is created on that server), KAFKA_BROKERS (for the
 * revocation figure), BENCH_SECONDS per cell (default 5), BENCH_ROUNDS (best of, default 2),
 * BENCH_SIGNING_WORKERS (OCSP_SIGNING_WORKERS of ours; default unset, as the service),
 * BENCH_ONLY=ours|openssl (default both), BENCH_PROFILE=<dir> (CPU profile of our server),
 * BENCH_LIVE_SIGNING_PER_CLIENT (OCSP_LIVE_SIGNING_PER_CLIENT of ours, default 200; 0 for the live-signing cells).
 */
import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { makeBenchPki, certIdFor, ocspRequest } from './ocsp/pki.js';
import { runLoad, type LoadResult } from './ocsp/load.js';
import { startVarnish } from './ocsp/varnish.js';

const SELF = fileURLToPath(import.meta.url);
const certsArg = process.argv.indexOf('--certs');
/** `--certs N` (default 10,000): the size of the bench CA. Past 10,000 only our start-up (import + pre-sign) is measured. */
const COUNT = certsArg > 0 ? Number(process.argv[certsArg + 1]) : 10_000;
const PRESIGN_ONLY = COUNT > 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** OCSP_SIGNING_WORKERS of ours; unset = the service's default (live on libuv, pre-signing on min(2, cores) worker threads). */
const SIGNING_WORKERS = process.env.BENCH_SIGNING_WORKERS;
const ONLY = process.env.BENCH_ONLY ?? '';
const LEVELS = [1, 10, 50];
const REVOCATIONS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const OPENSSL_PORT = 8888;
const HAVE_WRK = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version.
    return (err as { status?: number }).status === 1;
  }
})();

type Req = { body: Buffer; certId: Buffer };

function writeRequests(file: string, reqs: Req[]): void {
  const parts: Buffer[] = [];
  for (const r of reqs) {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(r.body.length, 0);
    h.writeUInt32BE(r.certId.length, 4);
    parts.push(h, r.body, r.certId);
  }
  writeFileSync(file, Buffer.concat(parts));
}

function readRequests(file: string): Req[] {
  const buf = readFileSync(file);
  const out: Req[] = [];
  for (let o = 0; o < buf.length; ) {
    const b = buf.readUInt32BE(o);
    const c = buf.readUInt32BE(o + 4);
    o += 8;
    out.push({ body: buf.subarray(o, o + b), certId: buf.subarray(o + b, o + b + c) });
    o += b + c;
  }
  return out;
}

/**
 * `load-all <url> <plain> <nonce>` (a separate process): one JSON line per (path, connections),
 * the best of ROUNDS runs — the 2 cores are shared with other work, which only ever slows a run.
 */
async function loadAll(url: string, plainFile: string, nonceFile: string): Promise<void> {
  const sets = { plain: plainFile === '-' ? [] : readRequests(plainFile), nonce: nonceFile === '-' ? [] : readRequests(nonceFile) };
  for (const path of ['plain', 'nonce'] as const) {
    if (sets[path].length === 0) continue;
    // A short warm-up per path (JIT, connection setup), not counted.
    await runLoad(url, sets[path], 10, 1);
    for (const c of LEVELS) {
      let best: LoadResult | null = null;
      for (let round = 0; round < ROUNDS; round++) {
        const r = await runLoad(url, sets[path], c, SECONDS);
        if (!best || r.rps > best.rps) best = r;
      }
      console.log(JSON.stringify({ path, connections: c, ...best }));
    }
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return (fields[11] + fields[12]) / 100;
}

/** CPU seconds of a process and all its live descendants (varnishd's manager and its cache child). */
function processTreeCpuSeconds(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      total += processCpuSeconds(p);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const c of children ? children.split(' ') : []) visit(Number(c));
    } catch {
      // The process ended between reads: its time is gone with it.
    }
  };
  visit(pid);
  return total;
}

/** Busy CPU seconds of the whole machine so far, from /proc/stat. */
function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4]) / 100;
}

/**
 * `load-compare <ourUrl> <ourPid> <minimalUrl> <minimalPid> <plain> <answers>`: the pre-signed
 * POST cells of ours and of the minimal node:http server interleaved — at each connection level,
 * round by round, one after the other, the order swapped every round — so that both meet the
 * same load from the rest of the machine (measured one after the other, minutes apart, the
 * ratio mostly measured the other engineers' builds). Each cell also reports the server's CPU
 * time per answer (from /proc), which other load on the machine disturbs far less than rps.
 */
async function loadCompare(ourUrl: string, ourPid: number, minimalUrl: string, minimalPid: number, plainFile: string): Promise<void> {
  const plain = readRequests(plainFile);
  const servers = [
    { path: 'plain', url: ourUrl, pid: ourPid },
    { path: 'minimal', url: minimalUrl, pid: minimalPid },
  ];
  for (const s of servers) await runLoad(s.url, plain, 10, 1);
  for (const c of LEVELS) {
    const best = new Map<string, LoadResult & { cpuUsPerAnswer: number }>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
        const cpu0 = processCpuSeconds(s.pid);
        const r = await runLoad(s.url, plain, c, SECONDS);
        const cpuUsPerAnswer = r.requests ? ((processCpuSeconds(s.pid) - cpu0) * 1e6) / r.requests : NaN;
        const prev = best.get(s.path);
        if (!prev || r.rps > prev.rps) best.set(s.path, { ...r, cpuUsPerAnswer });
      }
    }
    for (const s of servers) console.log(JSON.stringify({ path: s.path, connections: c, ...best.get(s.path) }));
  }
}

/** `load-get <url> <plain>`: pre-signed answers by RFC 5019 GET (the cache tier), one JSON line per connections level. */
async function loadGet(url: string, plainFile: string): Promise<void> {
  const plain = readRequests(plainFile);
  await runLoad(url, plain, 10, 1, { method: 'GET' });
  for (const c of LEVELS) {
    let best: LoadResult | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const r = await runLoad(url, plain, c, SECONDS, { method: 'GET' });
      if (!best || r.rps > best.rps) best = r;
    }
    console.log(JSON.stringify({ path: 'cache-get', connections: c, ...best }));
  }
}

/** `load-flood <url> <requests>`: random never-issued serials at 50 connections, any OCSPResponse counted. */
async function loadFlood(url: string, file: string): Promise<void> {
  const r = await runLoad(url, readRequests(file), 50, SECONDS, { acceptAnyOcspResponse: true });
  console.log(JSON.stringify({ path: 'flood', connections: 50, ...r }));
}

/** Busy CPU time of the whole machine and of this process tree (waited children included), in seconds. */
function cpuSeconds(): { machine: number; ours: number } {
  const hz = 100;
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4];
  const self = readFileSync('/proc/self/stat', 'utf8');
  const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
  // utime stime cutime cstime are fields 14-17 (1-based), i.e. 11-14 after the comm field.
  const ours = fields[11] + fields[12] + fields[13] + fields[14];
  return { machine: busy / hz, ours: ours / hz };
}

/**
 * Every pre-signed answer of our server, fetched once, stored next to its request (the same
 * framing as the request files: request body, then answer) for the minimal server below.
 */
async function captureAnswers(url: string, requests: Req[], file: string): Promise<void> {
  const pairs: Req[] = [];
  for (let i = 0; i < requests.length; i += 50) {
    const batch = requests.slice(i, i + 50);
    const answers = await Promise.all(
      batch.map(async (r) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: r.body });
        return Buffer.from(await res.arrayBuffer());
      }),
    );
    batch.forEach((r, j) => pairs.push({ body: r.body, certId: answers[j] }));
  }
  writeRequests(file, pairs);
}

/**
 * `minimal <answers>`: the least any node:http OCSP server has to do for a pre-signed answer —
 * read the body, one Map lookup on its raw bytes, two headers — with none of the parsing,
 * issuer checks, caching headers or metrics of ours. Its throughput is the ceiling that node:http,
 * this load generator and this machine's kernel leave for a Node responder; it is measured in the
 * same run so that our ratio to OpenSSL can be read against it.
 */
async function minimal(answersFile: string): Promise<void> {
  const { createServer } = await import('node:http');
  const answers = new Map(readRequests(answersFile).map((p) => [p.body.toString('latin1'), p.certId]));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const der = answers.get(Buffer.concat(chunks).toString('latin1'));
      if (!der) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.length });
      res.end(der);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    console.log(`READY http://127.0.0.1:${address.port}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Starts the minimal node:http server on our captured answers; resolves with its URL, pid and stop(). */
async function startMinimal(dir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const server = spawn(process.execPath, [SELF, 'minimal', join(dir, 'answers.bin')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { url } = await waitForReady(server);
  return {
    url,
    pid: server.pid!,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    },
  };
}

/** Signatures per second of `threads` worker threads doing nothing but crypto.sign for `ms`. */
async function signingCeiling(keyFile: string, threads: number, ms: number): Promise<number> {
  const { Worker } = await import('node:worker_threads');
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createPrivateKey, sign } = require('node:crypto');
    const key = createPrivateKey(workerData.pem);
    const data = Buffer.alloc(300, 7);
    const end = Date.now() + workerData.ms;
    let n = 0;
    while (Date.now() < end) { sign('sha256', data, { key, dsaEncoding: 'der' }); n++; }
    parentPort.postMessage(n);`;
  const pem = readFileSync(keyFile, 'utf8');
  const counts = await Promise.all(
    Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
      const w = new Worker(src, { eval: true, workerData: { pem, ms } });
      w.once('message', (n: number) => resolve(n));
      w.once('error', reject);
    })),
  );
  return counts.reduce((a, b) => a + b, 0) / (ms / 1000);
}

/** `serve <dir> <databaseUrl> <kafkaNamespace>`: our service, seeded with the bench CA and its certificates. */
async function serve(dir: string, databaseUrl: string, namespace: string): Promise<void> {
  const { startService } = await import('@darvazeh/http');
  const { OcspResponderEnv } = await import('../apps/ocsp-responder/src/config/ocsp-responder.env.js');
  const { OcspResponderModule, OCSP_SERVICE } = await import('../apps/ocsp-responder/src/ocsp-responder.module.js');
  const { RegisterIssuerUseCase } = await import('../apps/ocsp-responder/src/issuers/application/register-issuer.use-case.js');
  const { ImportStatusesUseCase } = await import('../apps/ocsp-responder/src/certificates/application/import-statuses.use-case.js');
  const { PresignedResponseCache } = await import('../apps/ocsp-responder/src/presigned-responses/application/presigned-response.cache.js');
  const { PresignedResponseWriter } = await import('../apps/ocsp-responder/src/presigned-responses/application/presigned-response.writer.js');
  const { BulkPresigner } = await import('../apps/ocsp-responder/src/presigned-responses/application/bulk-presigner.js');
  const running = await startService({
    service: OCSP_SERVICE,
    envClass: OcspResponderEnv,
    module: (env) => OcspResponderModule.register(env),
    port: 0,
    envSource: {
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      KAFKA_NAMESPACE: namespace,
      JWKS_URL: 'http://127.0.0.1:9/jwks',
      JWT_ISSUER: 'bench',
      JWT_AUDIENCE: 'bench',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
      OCSP_KEY_DIR: dir,
      ...(SIGNING_WORKERS !== undefined ? { OCSP_SIGNING_WORKERS: SIGNING_WORKERS } : {}),
      // The load generator is one client address: with the default bound (200/s) most nonce
      // requests would get the pre-signed answer, which is not what the live-signing cells measure.
      OCSP_LIVE_SIGNING_PER_CLIENT: process.env.BENCH_LIVE_SIGNING_PER_CLIENT ?? '200',
      CRL_DEBOUNCE_MS: '1000',
    },
  });
  const started = performance.now();
  await running.app.get(RegisterIssuerUseCase).execute({
    alias: 'bench-ca',
    certificatePem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    responderCertificatePem: readFileSync(join(dir, 'ocsp.pem'), 'utf8'),
    signingKeyRef: 'ocsp.key',
    crlKeyRef: 'ca.key',
  });
  const serials = readFileSync(join(dir, 'index.txt'), 'utf8').trim().split('\n').map((l) => l.split('\t')[3]);
  await running.app.get(ImportStatusesUseCase).execute({
    issuer: 'bench-ca',
    csv: Readable.from(['serial,action\n', ...serials.map((s) => `${s},issued\n`)]),
  });
  const imported = performance.now();
  const cache = running.app.get(PresignedResponseCache);
  while (cache.size < serials.length) await new Promise((r) => setTimeout(r, 20));
  const signed = performance.now();
  // Measure only once the durable copy is written too: its upserts would otherwise share the
  // cores with the first cells.
  await running.app.get(BulkPresigner).idle();
  await running.app.get(PresignedResponseWriter).idle();
  const stored = performance.now();
  const { default: pg } = await import('pg');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const storedRows = Number((await db.query(`select count(distinct serial) as n from ocsp_responses`)).rows[0].n);
  await db.end();
  // Peak resident set of this process (the service) since it started, from the kernel.
  const rssPeakMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  console.log(`PRESIGN ${JSON.stringify({ count: serials.length, importedMs: imported - started, signedMs: signed - started, storedMs: stored - started, storedRows, rssPeakMb })}`);
  console.log(`READY ${running.url}`);
  process.on('SIGTERM', () => void running.close().then(() => process.exit(0)));
}

/** Resolves with the URL of the READY line, and everything the child printed before it. */
function waitForReady(child: ChildProcess): Promise<{ url: string; out: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ url: m[1], out });
    });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function collect(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

type Row = { path: string; connections: number; cpuUsPerAnswer?: number; cacheCores?: number; otherCores?: number } & LoadResult;
const parseRows = (out: string): Row[] => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row);

/**
 * wrk (C, one thread) as a second load generator for the GET cells: the Node generator spends
 * more CPU per request than Varnish does, so on two cores it caps the cache tier. wrk only counts
 * status codes, it does not check the OCSP bodies (the Node generator's cells do); its figures
 * are printed in their own rows. `paths.lua` cycles through the requests' GET paths.
 */
function writeWrkScript(file: string, prefix: string, requests: Req[]): void {
  const paths = requests.map((r) => `"${prefix}${encodeURIComponent(r.body.toString('base64'))}"`);
  writeFileSync(
    file,
    `local paths = {${paths.join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
  );
}

/** Command line of one wrk cell; its output is read by parseWrk. */
const wrkArgs = (url: string, script: string, connections: number) => ['-t1', `-c${connections}`, `-d${SECONDS}s`, '--latency', '-s', script, url];

/** One wrk run's output as a Row (p50/p99 from --latency; non-2xx and socket errors as errors). */
function parseWrk(path: string, connections: number, out: string): Row {
  const ms = (v: string | undefined) => {
    const m = /([\d.]+)(us|ms|s)/.exec(v ?? '');
    return !m ? NaN : Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  // OpenSSL closes every connection: wrk reports those closes as read errors, which are not failures.
  const errors = non2xx + (socket ? Number(socket[1]) + Number(socket[4]) : 0);
  return { path, connections, requests, rps, p50: ms(/50%\s+(\S+)/.exec(out)?.[1]), p99: ms(/99%\s+(\S+)/.exec(out)?.[1]), errors };
}

/** Revokes `serials` one by one through Kafka; for each, the time until our responder first answers `revoked`. */
async function revocationLatency(url: string, caPem: string, serials: string[], brokers: string[], namespace: string): Promise<number[]> {
  const { Kafka, logLevel } = await import('kafkajs');
  const { randomUUID } = await import('node:crypto');
  const producer = new Kafka({ brokers, clientId: 'ocsp-bench', logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  const latencies: number[] = [];
  for (const serial of serials) {
    const certId = certIdFor(caPem, serial);
    const body = ocspRequest(certId, false);
    const started = performance.now();
    await producer.send({
      topic: `${namespace}.pki.certificates`,
      acks: -1,
      messages: [
        {
          key: `bench-ca:${serial}`,
          value: JSON.stringify({ issuer: 'bench-ca', serial, revokedAt: new Date().toISOString(), reason: 'keyCompromise' }),
          headers: {
            ce_id: randomUUID(),
            ce_type: 'ir.darvazeh.pki.certificate.revoked.v1',
            ce_source: '/bench/ca',
            ce_specversion: '1.0',
            ce_time: new Date().toISOString(),
            ce_subject: `bench-ca:${serial}`,
            'content-type': 'application/json',
          },
        },
      ],
    });
    for (;;) {
      const res = await fetch(`${url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });
      const der = Buffer.from(await res.arrayBuffer());
      const at = der.indexOf(certId);
      // certStatus right after the echoed CertID: [1] revoked.
      if (at >= 0 && der[at + certId.length] === 0xa1) break;
      if (performance.now() - started > 10_000) throw new Error(`serial ${serial} not revoked after 10 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(performance.now() - started);
  }
  await producer.disconnect();
  return latencies.sort((a, b) => a - b);
}

type Presign = { count: number; importedMs: number; signedMs: number; storedMs: number; storedRows: number; rssPeakMb: number };

async function ours(dir: string, serials: string[]): Promise<{ rows: Row[]; revocation: number[]; presign: Presign }> {
  const { default: pg } = await import('pg');
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const stamp = Date.now().toString(36);
  const dbName = `ocsp_bench_test_${stamp}`;
  // Fresh topics and consumer group: no backlog of other runs' events, no shared group.
  const namespace = `ocspbench-${stamp}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = serverUrl.replace(/\/[^/]*$/, `/${dbName}`);
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of our server there (for hot-path work).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const server = spawn(process.execPath, [...profile, SELF, 'serve', dir, dbUrl, namespace], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  try {
    const { url, out } = await waitForReady(server);
    const presign = JSON.parse(/PRESIGN (\{.*\})/.exec(out)![1]) as Presign;
    console.error(`ours ready at ${url}; loading…`);
    if (PRESIGN_ONLY) return { rows: [], revocation: [], presign };
    await captureAnswers(`${url}/ocsp`, readRequests(join(dir, 'plain.bin')), join(dir, 'answers.bin'));
    const minimalNode = await startMinimal(dir);
    const rows: Row[] = [];
    try {
      console.error(`minimal node:http server at ${minimalNode.url}; pre-signed POST, ours and minimal interleaved…`);
      rows.push(
        ...parseRows(
          await collect(process.execPath, [SELF, 'load-compare', `${url}/ocsp`, String(server.pid), `${minimalNode.url}/ocsp`, String(minimalNode.pid), join(dir, 'plain.bin')]),
        ),
      );
    } finally {
      await minimalNode.stop();
    }
    console.error('ours: live signing (nonce)…');
    rows.push(...parseRows(await collect(process.execPath, [SELF, 'load-all', `${url}/ocsp`, '-', join(dir, 'nonce.bin')])));
    console.error('ours: flood of random unknown serials…');
    rows.push(...parseRows(await collect(process.execPath, [SELF, 'load-flood', `${url}/ocsp`, join(dir, 'flood.bin')])));
    // The cache tier: the real Varnish with cache-tier/ocsp.vcl in front of ours, warmed with every answer by GET.
    // The cache tier with the run-time parameters of docker-compose/k8s plus no per-request shared-memory log (bench/ocsp/varnish.ts).
    const varnish = await startVarnish(Number(new URL(url).port), { memory: '128m', tuned: true });
    try {
      for (const r of readRequests(join(dir, 'plain.bin'))) await fetch(`${varnish.url}/ocsp/${encodeURIComponent(r.body.toString('base64'))}`).then((x) => x.arrayBuffer());
      console.error(`cache tier (varnishd pid ${varnish.pid}) at ${varnish.url}; loading by GET…`);
      rows.push(...parseRows(await collect(process.execPath, [SELF, 'load-get', `${varnish.url}/ocsp`, join(dir, 'plain.bin')])));
      if (HAVE_WRK) {
        console.error('cache tier: the same GETs with wrk…');
        for (const c of LEVELS.slice(1)) {
          // CPU per answer of the cache tier itself (varnishd and its cache child), and what the
          // rest of the machine (wrk, mostly) burnt meanwhile: rps here is bounded by the two cores
          // being shared with the generator, the server-side cost per answer is not.
          const cache0 = processTreeCpuSeconds(varnish.pid);
          const machine0 = machineBusySeconds();
          const row = parseWrk('cache-get-wrk', c, await collect('wrk', wrkArgs(varnish.url, join(dir, 'paths-cache.lua'), c)));
          const cacheCpu = processTreeCpuSeconds(varnish.pid) - cache0;
          const othersCpu = machineBusySeconds() - machine0 - cacheCpu;
          rows.push({ ...row, cpuUsPerAnswer: row.requests ? (cacheCpu * 1e6) / row.requests : NaN, cacheCores: cacheCpu / SECONDS, otherCores: othersCpu / SECONDS });
        }
      }
    } finally {
      await varnish.stop();
    }
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    let revocation: number[] = [];
    if (brokers.length) {
      console.error(`ours: ${REVOCATIONS} revocations through Kafka…`);
      revocation = await revocationLatency(url, join(dir, 'ca.pem'), serials.slice(-REVOCATIONS), brokers, namespace);
    }
    return { rows, revocation, presign };
  } finally {
    // A server that already died (its error is on stderr) has no exit event left to wait for.
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

/** OpenSSL's responder and the load generator inside one private network namespace. */
async function openssl(dir: string, multi: boolean): Promise<Row[]> {
  const cmd = [
    'set -e',
    'ip link set lo up',
    `openssl ocsp -index index.txt -port ${OPENSSL_PORT} -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -ndays 1 -ignore_err ${multi ? '-multi 2' : ''} 2>/dev/null & P=$!`,
    // Wait until it accepts connections.
    `for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/${OPENSSL_PORT}) 2>/dev/null && break; sleep 0.1; done`,
    // OpenSSL's own CPU over its Node-generator cells (it signs every answer, so the cost per answer
    // is the same in every cell); -multi's work is in children the parent has not yet waited for.
    `cpu() { awk '{ print $14 + $15 }' /proc/$P/stat; }; C0=$(cpu)`,
    `"${process.execPath}" "${SELF}" load-all http://127.0.0.1:${OPENSSL_PORT}/ plain.bin nonce.bin`,
    `echo "OPENSSL_CPU_TICKS $(( $(cpu) - C0 )) $(getconf CLK_TCK)"`,
    // The same RFC 5019 GETs with wrk (OpenSSL's responder takes GET too), one marked block per level.
    ...(HAVE_WRK ? LEVELS.slice(1).map((c) => `echo "WRK ${c}"; wrk ${wrkArgs(`http://127.0.0.1:${OPENSSL_PORT}`, 'paths-openssl.lua', c).join(' ')}; echo "WRK END"`) : []),
    // The -multi parent only notices SIGTERM once a child exits (its wait() restarts), so end
    // the children (by parent id) after flagging the parent.
    'kill -TERM $P 2>/dev/null || true; pkill -TERM -P $P 2>/dev/null || true; sleep 0.3',
    'pkill -KILL -P $P 2>/dev/null || true; kill -KILL $P 2>/dev/null || true; wait $P 2>/dev/null || true',
  ].join('\n');
  console.error(`openssl ${multi ? '-multi 2' : 'single process'}: loading…`);
  const out = await collect('unshare', ['-n', '--kill-child', 'bash', '-c', `cd "${dir}"\n${cmd}`]);
  const wrkRows = [...out.matchAll(/WRK (\d+)\n([\s\S]*?)WRK END/g)].map((m) => parseWrk('get-wrk', Number(m[1]), m[2]));
  const rows = parseRows(out);
  const ticks = /OPENSSL_CPU_TICKS (\d+) (\d+)/.exec(out);
  const answered = rows.reduce((n, r) => n + r.requests, 0);
  if (!multi && ticks && answered) {
    const cpuUsPerAnswer = ((Number(ticks[1]) / Number(ticks[2])) * 1e6) / answered;
    for (const r of rows) r.cpuUsPerAnswer = cpuUsPerAnswer;
  }
  return [...rows, ...wrkRows];
}

function conditions(): string[] {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  const top = sh('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers'])
    .split('\n')
    .slice(0, 6)
    .map((l) => l.trim().replace(/\s+/, '% '))
    .join(', ');
  return [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}; ${sh('openssl', ['version'])}`,
    `load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; busiest processes at start (lifetime %CPU): ${top}`,
  ];
}

async function main(): Promise<void> {
  const startConditions = conditions();
  const cpuAtStart = cpuSeconds();
  const wallAtStart = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'ocsp-bench-'));
  const pki = makeBenchPki(dir, COUNT);
  const requests = (nonce: boolean) =>
    pki.serials.map((s) => {
      const certId = certIdFor(pki.caCert, s);
      return { body: ocspRequest(certId, nonce), certId };
    });
  // Past 10,000 certificates only the start-up is measured: no request files to build.
  if (!PRESIGN_ONLY) {
    writeRequests(join(dir, 'plain.bin'), requests(false));
    writeRequests(join(dir, 'nonce.bin'), requests(true));
    const plain = requests(false);
    writeWrkScript(join(dir, 'paths-cache.lua'), '/ocsp/', plain);
    writeWrkScript(join(dir, 'paths-openssl.lua'), '/', plain);
    const { randomBytes } = await import('node:crypto');
    writeRequests(
      join(dir, 'flood.bin'),
      Array.from({ length: 10_000 }, () => {
        const certId = certIdFor(pki.caCert, '7f' + randomBytes(15).toString('hex'));
        return { body: ocspRequest(certId, false), certId };
      }),
    );
  }

  let mine: Row[] = [];
  let revocation: number[] = [];
  let presign: Presign | null = null;
  let floor: Row[] = [];
  if (ONLY !== 'openssl') {
    ({ rows: mine, revocation, presign } = await ours(dir, pki.serials));
  }
  // The minimal server's cells were measured interleaved with ours (load-compare).
  floor = mine.filter((r) => r.path === 'minimal').map((r) => ({ ...r, path: 'plain' }));
  mine = mine.filter((r) => r.path !== 'minimal');
  const single = ONLY === 'ours' || PRESIGN_ONLY ? [] : await openssl(dir, false);
  const multi = ONLY === 'ours' || PRESIGN_ONLY ? [] : await openssl(dir, true);

  const cpuAtEnd = cpuSeconds();
  const wall = (Date.now() - wallAtStart) / 1000;
  const others = cpuAtEnd.machine - cpuAtStart.machine - (cpuAtEnd.ours - cpuAtStart.ours);
  const find = (rows: Row[], path: string, c: number) => rows.find((r) => r.path === path && r.connections === c);
  const fmt = (r?: Row) =>
    !r ? 'n/a' : r.requests === 0 ? `no valid reply (${r.errors} failed)` : `${r.rps.toFixed(0)} rps, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} failed` : ''}`;
  const ratio = (a?: Row, b?: Row) => (a && b && b.rps > 0 ? `${(a.rps / b.rps).toFixed(1)}×` : 'n/a');
  const lines: string[] = [];
  lines.push(`OCSP bench ${new Date().toISOString()}: ${COUNT} certificates, ECDSA P-256 CA and delegated responder, best of ${ROUNDS} × ${SECONDS} s per cell`);
  lines.push(`after a 1 s warm-up; closed-loop load generator (bench/ocsp/load.ts, one process, every reply checked); ours with OCSP_SIGNING_WORKERS=${SIGNING_WORKERS ?? 'unset (default: live on libuv, pre-signing on worker threads)'}.`);
  lines.push(...startConditions);
  lines.push(
    `other processes during the run: ${others.toFixed(0)} CPU-s of ${(wall * cpus().length).toFixed(0)} available ` +
      `(${((100 * others) / (wall * cpus().length)).toFixed(0)}% of the machine over ${wall.toFixed(0)} s)`,
  );
  lines.push('');
  lines.push('| path | conns | ours | openssl ocsp | openssl ocsp -multi 2 | ours / openssl | ours / -multi 2 | minimal node:http | minimal / openssl |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const path of ['plain', 'nonce']) {
    for (const c of LEVELS) {
      const o = find(mine, path, c);
      const s = find(single, path, c);
      const m = find(multi, path, c);
      const f = find(floor, path, c);
      const label = path === 'plain' ? 'pre-signed (no nonce)' : 'live signing (nonce echoed)';
      const minimalCells = path === 'plain' ? `${fmt(f)} | ${ratio(f, s)}` : '— | —';
      lines.push(`| ${label} | ${c} | ${fmt(o)} | ${fmt(s)} | ${fmt(m)} | ${ratio(o, s)} | ${ratio(o, m)} | ${minimalCells} |`);
    }
  }
  for (const c of LEVELS) {
    const g = find(mine, 'cache-get', c);
    const s1 = find(single, 'plain', c);
    const m = find(multi, 'plain', c);
    const f = find(floor, 'plain', c);
    lines.push(`| GET through the cache tier (Varnish) | ${c} | ${fmt(g)} | ${fmt(s1)} | ${fmt(m)} | ${ratio(g, s1)} | ${ratio(g, m)} | ${fmt(f)} | ${ratio(f, s1)} |`);
  }
  for (const c of LEVELS.slice(1)) {
    const g = find(mine, 'cache-get-wrk', c);
    if (!g) continue;
    const s1 = find(single, 'get-wrk', c);
    const m = find(multi, 'get-wrk', c);
    lines.push(`| GET through the cache tier (Varnish), wrk | ${c} | ${fmt(g)} | ${fmt(s1)} (GET, wrk) | ${fmt(m)} (GET, wrk) | ${ratio(g, s1)} | ${ratio(g, m)} | — | — |`);
  }
  const flood = find(mine, 'flood', 50);
  if (flood) lines.push(`| flood: random never-issued serials (one client) | 50 | ${fmt(flood)} | — | — | — | — | — | — |`);
  lines.push('');
  lines.push(
    'ours / minimal node:http (pre-signed POST, interleaved cell by cell in this run): ' +
      LEVELS.map((c) => `${c} conns ${ratio(find(mine, 'plain', c), find(floor, 'plain', c))}`).join(', '),
  );
  const cpu = (r?: Row) => (r?.cpuUsPerAnswer !== undefined && Number.isFinite(r.cpuUsPerAnswer) ? r.cpuUsPerAnswer : NaN);
  lines.push(
    'server CPU per answer, ours vs minimal (µs, user+system from /proc; minimal / ours as a ratio): ' +
      LEVELS.map((c) => {
        const o = cpu(find(mine, 'plain', c));
        const f = cpu(find(floor, 'plain', c));
        return `${c} conns ${o.toFixed(1)} vs ${f.toFixed(1)} (${(f / o).toFixed(2)}×)`;
      }).join(', '),
  );
  const opensslCpu = cpu(find(single, 'plain', 50));
  const cacheRows = LEVELS.map((c) => find(mine, 'cache-get-wrk', c)).filter((r): r is Row => !!r);
  if (cacheRows.length && Number.isFinite(opensslCpu)) {
    lines.push(
      `server CPU per answer, cache tier (varnishd, wrk cells) vs single-process openssl ocsp (${opensslCpu.toFixed(1)} µs per answer over its cells): ` +
        cacheRows
          .map(
            (r) =>
              `${r.connections} conns ${cpu(r).toFixed(1)} µs (openssl / cache tier ${(opensslCpu / cpu(r)).toFixed(1)}×; varnishd ${(100 * (r.cacheCores ?? 0)).toFixed(0)}% of a core, ` +
              `the rest of the machine — wrk, mostly — ${(100 * (r.otherCores ?? 0)).toFixed(0)}%)`,
          )
          .join(', '),
    );
    const best = Math.max(...cacheRows.map((r) => r.rps));
    lines.push(
      `cache-tier rps needed for 8× single-process openssl at 50 conns: ${(8 * (find(single, 'plain', 50)?.rps ?? NaN)).toFixed(0)}; best measured ${best.toFixed(0)} ` +
        `(the generator and varnishd share the ${cpus().length} cores: the cost ratio above is what the cache tier itself saves per answer).`,
    );
  }
  lines.push(
    'cache-tier goal (≥ 8× at 50 connections, p99 ≤ 5 ms): the reference is single-process `openssl ocsp` (the command issue 14 names; column "ours / openssl"); `-multi 2` is shown beside it.',
  );
  lines.push(
    'minimal node:http = the least a node:http server can do for a pre-signed answer (raw body → Map → two headers), on our captured answers: the ceiling this machine leaves for a Node responder.',
  );
  if (presign) {
    const presignS = (presign.storedMs - presign.importedMs) / 1000;
    const rate = presign.count / presignS;
    lines.push(
      `new CA of ${presign.count} certificates: registered and statuses imported (CSV) in ${(presign.importedMs / 1000).toFixed(1)} s; all pre-signed after ${(presign.signedMs / 1000).toFixed(1)} s, ` +
        `all stored in PostgreSQL (${presign.storedRows} certificates with a stored answer) after ${(presign.storedMs / 1000).toFixed(1)} s total (goal for 1,000,000: ≤ 300 s); ` +
        `pre-sign + store ${presignS.toFixed(1)} s = ${rate.toFixed(0)} answers/s; service RSS peak ${presign.rssPeakMb.toFixed(0)} MB`,
    );
    const ceiling = await signingCeiling(join(dir, 'ocsp.key'), 2, 3_000);
    lines.push(`raw signing ceiling (same run, after ours): crypto.sign ECDSA P-256 on 2 worker threads, 300-byte input: ${ceiling.toFixed(0)} signatures/s; ours / ceiling ${(rate / ceiling).toFixed(2)}×`);
  }
  lines.push('');
  if (revocation.length) {
    const q = (p: number) => revocation[Math.min(revocation.length - 1, Math.floor(revocation.length * p))].toFixed(1);
    lines.push(
      `revocation event produced to pki.certificates (Kafka, acks=all) → first OCSP answer "revoked" (polled every ~2 ms): ` +
        `n=${revocation.length}, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${revocation[revocation.length - 1].toFixed(1)} ms`,
    );
  } else {
    lines.push('revocation latency through Kafka: not measured (KAFKA_BROKERS not set or BENCH_ONLY=openssl)');
  }
  lines.push(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const table = lines.join('\n');
  console.log(table);
  writeFileSync(join(dir, 'RESULTS.md'), table + '\n');
  console.error(`(also written to ${join(dir, 'RESULTS.md')})`);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') await serve(args[0], args[1], args[2]);
else if (mode === 'load-all') await loadAll(args[0], args[1], args[2]);
else if (mode === 'minimal') await minimal(args[0]);
else if (mode === 'load-get') await loadGet(args[0], args[1]);
else if (mode === 'load-compare') await loadCompare(args[0], Number(args[1]), args[2], Number(args[3]), args[4]);
else if (mode === 'load-flood') await loadFlood(args[0], args[1]);
else await main();
