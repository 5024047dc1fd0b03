import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Bootstrap servers of the real broker the tests run against (`npm test` starts one and exports
 * KAFKA_BROKERS), as the comma-separated string the env variable holds.
 */
export function testKafkaBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS?.trim();
  if (!brokers) {
    throw new Error(
      'KAFKA_BROKERS is not set: run tests with `npm test` (which starts a Kafka broker), or start '
      + 'one with `npm run kafka:start` and export the KAFKA_BROKERS it prints '
      + 'to run a single test file',
    );
  }
  return brokers;
}

/** testKafkaBrokers() as a list, for clients that take one. */
export function testKafkaBrokerList(): string[] {
  return testKafkaBrokers().split(',').map((b) => b.trim()).filter(Boolean);
}

// Jest gives every test file its own module registry, so this is one value per test file.
const FILE_NAMESPACE = `test-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/**
 * The KAFKA_NAMESPACE every service started by startTestService in this test file uses: the
 * services of one file (say, two replicas) share their topics and groups, while test files
 * running in parallel on the same broker never see each other's events, even for the same keys.
 */
export function testKafkaNamespace(): string {
  return FILE_NAMESPACE;
}

/** The wire name of a logical topic (`hamta.devices`) under this file's namespace, for kcat. */
export function testTopic(logicalTopic: string): string {
  return `${FILE_NAMESPACE}.${logicalTopic}`;
}

/**
 * A topic name no other test (or earlier run against the same broker) uses. Topics are not
 * auto-created by our brokers: create it (e.g. `MessageBus.ensureTopics`) before producing.
 */
export function uniqueTopic(prefix: string): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]+/g, '-');
  return `${safe}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  headers: Record<string, string>;
  /** JSON.parse of the value when it is JSON, else the raw string (null for a tombstone). */
  payload: unknown;
  /** The value exactly as kcat printed it. */
  raw: string | null;
}

function run(cmd: string, args: string[], input?: string, timeoutMs = 15_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // kcat exits 0 on the SIGTERM of our timeout: output cut short must not pass as complete.
      if (!err && child.killed) err = new Error(`timed out after ${timeoutMs} ms`) as never;
      if (err) {
        const e = err as NodeJS.ErrnoException;
        const hint = e.code === 'ENOENT' ? ' (kcat is not installed: apt-get install -y kcat)' : '';
        reject(new Error(`${cmd} ${args.join(' ')} failed${hint}: ${err.message}\n${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

interface KcatJson {
  topic: string;
  partition: number;
  offset: number;
  ts?: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

function parseKcatLine(line: string): KcatMessage {
  const m = JSON.parse(line) as KcatJson;
  const headers: Record<string, string> = {};
  const flat = m.headers ?? [];
  for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i]] = flat[i + 1];
  let payload: unknown = m.payload;
  if (typeof m.payload === 'string') {
    try { payload = JSON.parse(m.payload); } catch { payload = m.payload; }
  }
  return {
    topic: m.topic, partition: m.partition, offset: m.offset, timestamp: m.ts ?? 0,
    key: m.key, headers, payload, raw: m.payload,
  };
}

/**
 * Reads a topic from the beginning with kcat (`kcat -C -J -e`), an independent Kafka client:
 * what it sees is what any integrator would see on the wire. Polls until `count` messages are
 * there (or returns what exists when no count is given); throws after `timeoutMs`.
 * Messages are ordered by partition, then offset.
 */
export async function readTopicWithKcat(
  brokers: string,
  topic: string,
  { count, timeoutMs = 15_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<KcatMessage[]> {
  const deadline = Date.now() + timeoutMs;
  let last: KcatMessage[] = [];
  let lastError: unknown;
  for (;;) {
    // Short fetch waits: with -e kcat otherwise spends the default 500 ms per empty fetch.
    const args = ['-C', '-b', brokers, '-t', topic, '-J', '-e', '-o', 'beginning', '-q',
      '-X', 'fetch.wait.max.ms=20'];
    if (count !== undefined) args.push('-c', String(count));
    try {
      const { stdout } = await run('kcat', args, undefined, Math.max(5_000, deadline - Date.now()));
      last = stdout.split('\n').filter((l) => l.trim().startsWith('{')).map(parseKcatLine)
        .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
      lastError = undefined;
      if (count === undefined || last.length >= count) return last;
    } catch (err) {
      // The topic may not exist yet (our brokers do not auto-create): keep polling.
      lastError = err;
      if (String(err).includes('not installed')) throw err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `kcat read ${last.length} of ${count ?? 'any'} message(s) from ${topic} within ${timeoutMs} ms`
        + (lastError ? `; last error: ${String(lastError)}` : ''),
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface KcatOutgoing {
  key?: string;
  value: string | object;
  headers?: Record<string, string>;
  partition?: number;
}

/**
 * Produces messages with kcat (`kcat -P`), e.g. to feed our consumers from a client that is not
 * ours. One kcat call per message because kcat's headers apply to a whole call.
 */
export async function produceWithKcat(brokers: string, topic: string, messages: KcatOutgoing[]): Promise<void> {
  for (const m of messages) {
    const value = typeof m.value === 'string' ? m.value : JSON.stringify(m.value);
    if (value.includes('\n')) throw new Error('produceWithKcat: values must be single-line');
    const args = ['-P', '-b', brokers, '-t', topic, '-X', 'acks=all'];
    for (const [k, v] of Object.entries(m.headers ?? {})) args.push('-H', `${k}=${v}`);
    if (m.partition !== undefined) args.push('-p', String(m.partition));
    let line = value;
    if (m.key !== undefined) {
      // A key delimiter that cannot appear in our keys or JSON values.
      args.push('-K', '\u0001');
      line = `${m.key}\u0001${value}`;
    }
    await run('kcat', args, `${line}\n`);
  }
}
