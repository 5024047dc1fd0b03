import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KafkaMessageBus } from '@darvazeh/messaging';
import { produceWithKcat, readTopicWithKcat, testKafkaBrokerList, testKafkaBrokers, uniqueTopic } from './kafka.js';

// Both ends are kcat here: this proves the helpers against the real broker, independent of our
// own kafkajs adapter (which only creates the topic: the broker does not auto-create).
describe('kcat helpers (real Kafka broker)', () => {
  const brokers = testKafkaBrokers();
  const bus = new KafkaMessageBus({ brokers: testKafkaBrokerList(), clientId: 'libs-testing-spec' });
  const topic = uniqueTopic('testing.kcat');

  beforeAll(async () => {
    await bus.ensureTopics([{ name: topic, partitions: 2, replicationFactor: 1 }]);
  }, 60_000);
  afterAll(() => bus.close());

  it('reads back what kcat produced: key, headers and JSON payload', async () => {
    await produceWithKcat(brokers, topic, [
      { key: 'device-1', value: { imei: '490154203237518', n: 1 }, headers: { ce_type: 'ir.darvazeh.test.v1', ce_id: 'e-1' } },
      { key: 'device-1', value: { imei: '490154203237518', n: 2 }, headers: { ce_type: 'ir.darvazeh.test.v1', ce_id: 'e-2' } },
      { key: 'device-2', value: 'not json', headers: {} },
    ]);
    const messages = await readTopicWithKcat(brokers, topic, { count: 3, timeoutMs: 20_000 });
    expect(messages).toHaveLength(3);

    const forDevice1 = messages.filter((m) => m.key === 'device-1');
    // Same key → same partition, in the order produced.
    expect(new Set(forDevice1.map((m) => m.partition)).size).toBe(1);
    expect(forDevice1.map((m) => m.payload)).toEqual([
      { imei: '490154203237518', n: 1 },
      { imei: '490154203237518', n: 2 },
    ]);
    expect(forDevice1.map((m) => m.headers)).toEqual([
      { ce_type: 'ir.darvazeh.test.v1', ce_id: 'e-1' },
      { ce_type: 'ir.darvazeh.test.v1', ce_id: 'e-2' },
    ]);
    const other = messages.find((m) => m.key === 'device-2');
    expect(other?.payload).toBe('not json');
    expect(other?.topic).toBe(topic);
  }, 60_000);

  it('fails with a clear message when fewer messages than asked arrive in time', async () => {
    await expect(readTopicWithKcat(brokers, topic, { count: 50, timeoutMs: 1_500 }))
      .rejects.toThrow(/kcat read 3 of 50 message\(s\)/);
  }, 30_000);
});
