// npm run dlt:replay -- <topic> [--group <id>] [--idle-ms <n>]
// Republishes the dead letters of <topic> (read from <topic>.dlt) to the topic each came from,
// with its original CloudEvents attributes, once the cause is fixed. Progress is kept by a
// dedicated consumer group, so running it twice does not replay a letter twice.
import { pathToFileURL } from 'node:url';
import { KafkaMessageBus, type EventEnvelope, type MessageBus, type ReceivedEvent } from '@darvazeh/messaging';

export interface ReplayOptions {
  bus: MessageBus;
  /** The origin topic (not the `.dlt` one). */
  topic: string;
  /** Consumer group that remembers what was replayed (default `dlt-replay.<topic>`). */
  groupId?: string;
  /** Stop after this long without a new dead letter (default 3000 ms). */
  idleMs?: number;
  log?: (line: string) => void;
}

export interface ReplayResult {
  replayed: number;
  /** Records that were not readable CloudEvents: left in the DLT for a human. */
  skipped: number;
}

export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayResult> {
  const { bus, topic } = options;
  const log = options.log ?? (() => undefined);
  const idleMs = options.idleMs ?? 3000;
  const result: ReplayResult = { replayed: 0, skipped: 0 };
  let lastActivity = Date.now();
  const subscription = await bus.subscribe({
    groupId: options.groupId ?? `dlt-replay.${topic}`,
    topics: [`${topic}.dlt`],
    fromBeginning: true,
    concurrency: 1,
    handle: async (letter: ReceivedEvent) => {
      lastActivity = Date.now();
      if (letter.malformed) {
        result.skipped++;
        log(`skipped ${letter.topic}@${letter.partition}/${letter.offset}: ${letter.malformed}`);
        return;
      }
      await bus.publish([toOrigin(letter, topic)]);
      result.replayed++;
      log(`replayed ${letter.type} ${letter.id} (${letter.headers?.['dlt-reason'] ?? '?'}) → ${letter.headers?.['dlt-origin-topic'] ?? topic}`);
    },
  });
  try {
    while (Date.now() - lastActivity < idleMs) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await subscription.close();
  }
  return result;
}

function toOrigin(letter: ReceivedEvent, topic: string): EventEnvelope {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(letter.headers ?? {})) {
    if (!name.startsWith('dlt-')) headers[name] = value;
  }
  headers['dlt-replayed-from'] = `${letter.topic}/${letter.partition}@${letter.offset}`;
  return {
    specversion: '1.0',
    id: letter.id,
    type: letter.type,
    source: letter.source,
    subject: letter.subject,
    time: letter.time,
    topic: letter.headers?.['dlt-origin-topic'] ?? topic,
    data: letter.data,
    traceparent: letter.traceparent,
    headers,
  };
}

/**
 * The command line: `dlt-replay <topic> [--group <id>] [--idle-ms <n>]` with KAFKA_BROKERS and
 * KAFKA_NAMESPACE from `env`. Returns the process exit code (2: usage). Exported for the test
 * that runs it against a real broker.
 */
export async function runDltReplayCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  err: (line: string) => void = out,
): Promise<number> {
  const topic = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const idleMs = flag('--idle-ms') === undefined ? undefined : Number(flag('--idle-ms'));
  if (!topic || brokers.length === 0 || (idleMs !== undefined && !(idleMs > 0))) {
    err('usage: KAFKA_BROKERS=host:port [KAFKA_NAMESPACE=ns] npm run dlt:replay -- <topic> [--group <id>] [--idle-ms <n>]');
    return 2;
  }
  const bus = new KafkaMessageBus({ brokers, clientId: 'dlt-replay', namespace: env['KAFKA_NAMESPACE'] ?? '' });
  try {
    const result = await replayDeadLetters({ bus, topic, groupId: flag('--group'), idleMs, log: out });
    out(`${topic}.dlt: replayed ${result.replayed}, skipped ${result.skipped}`);
    return 0;
  } finally {
    await bus.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDltReplayCli(
    process.argv.slice(2),
    process.env,
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then((code) => process.exit(code), (error: unknown) => {
    process.stderr.write(`dlt-replay failed: ${String(error)}\n`);
    process.exit(1);
  });
}
