// `npm run dlt:replay -- <topic>` against the real broker, under a KAFKA_NAMESPACE; what it
// republished is read back with kcat (an independent client). The CLI lives in scripts/; its
// in-process unit test is scripts/dlt-replay.spec.ts (scripts/ has no integration tier).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readTopicWithKcat } from '@darvazeh/testing';
import { runDltReplayCli } from '../../../scripts/dlt-replay.js';
import { KafkaMessageBus } from './kafka-message-bus.js';
import { envelope, uniqueTopic } from '../test/message-bus.contract.js';
import { testKafkaBrokerList } from '@darvazeh/testing';

describe('npm run dlt:replay on Kafka', () => {
  const namespace = `test-replay-${randomUUID().slice(0, 8)}`;
  const topic = uniqueTopic('replay');
  let bus: KafkaMessageBus;

  beforeAll(async () => {
    bus = new KafkaMessageBus({ brokers: testKafkaBrokerList(), clientId: 'replay-test', namespace });
    await bus.ensureTopics([{ name: topic, partitions: 2, replicationFactor: 1 }]);
  }, 60_000);

  afterAll(async () => {
    await bus?.close();
  });

  it('republishes each dead letter to its origin topic with its CloudEvents attributes, once per replay group', async () => {
    const letter = envelope(`${topic}.dlt`, 'device-7', { imei: '490154203237518' }, {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      headers: {
        'x-extra': 'kept',
        'dlt-reason': 'retries-exhausted',
        'dlt-error': 'Error: database down',
        'dlt-origin-topic': topic,
        'dlt-origin-partition': '1',
        'dlt-origin-offset': '42',
        'dlt-consumer-group': 'identity',
        'dlt-attempts': '5',
      },
    });
    await bus.publish([letter]);
    const env = { KAFKA_BROKERS: testKafkaBrokerList().join(','), KAFKA_NAMESPACE: namespace };
    const lines: string[] = [];

    expect(await runDltReplayCli([topic, '--idle-ms', '1500'], env, (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toBe(`${topic}.dlt: replayed 1, skipped 0`);
    expect(await runDltReplayCli([topic, '--idle-ms', '1500'], env, (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toBe(`${topic}.dlt: replayed 0, skipped 0`);

    const [replayed, ...more] = await readTopicWithKcat(testKafkaBrokerList().join(','), `${namespace}.${topic}`, { count: 1 });
    expect(more).toEqual([]);
    expect(replayed!.key).toBe('device-7');
    expect(replayed!.payload).toEqual(letter.data);
    expect(replayed!.headers).toMatchObject({
      ce_id: letter.id,
      ce_type: letter.type,
      ce_source: letter.source,
      ce_subject: 'device-7',
      ce_specversion: '1.0',
      traceparent: letter.traceparent,
      'x-extra': 'kept',
    });
    expect(replayed!.headers['dlt-replayed-from']).toMatch(new RegExp(`^${topic.replace(/\./g, '\\.')}\\.dlt/\\d+@\\d+$`));
    expect(Object.keys(replayed!.headers).filter((h) => h.startsWith('dlt-') && h !== 'dlt-replayed-from')).toEqual([]);
  }, 90_000);

  it('prints the usage and exits 2 without a topic', async () => {
    const errors: string[] = [];
    expect(await runDltReplayCli([], { KAFKA_BROKERS: testKafkaBrokerList().join(',') }, () => undefined, (l) => errors.push(l))).toBe(2);
    expect(errors.join('\n')).toContain('npm run dlt:replay -- <topic>');
  });
});
