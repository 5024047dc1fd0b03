import { describe, expect, it } from '@jest/globals';
import { InProcessMessageBus, type ReceivedEvent } from '@darvazeh/messaging';
import { replayDeadLetters } from './dlt-replay.js';

describe('dlt:replay', () => {
  it('republishes each dead letter to its origin topic with its original CloudEvents attributes, once', async () => {
    const bus = new InProcessMessageBus({ redeliveryDelayMs: 5 });
    await bus.ensureTopics([{ name: 'hamta.devices', partitions: 2, replicationFactor: 1 }]);
    const letter = {
      specversion: '1.0' as const,
      id: '0192f0c1-0000-7000-8000-000000000001',
      type: 'ir.darvazeh.hamta.device.registered.v1',
      source: '/darvazeh/device-registry',
      subject: '490154203237518',
      time: '2026-01-01T00:00:00.000Z',
      topic: 'hamta.devices.dlt',
      data: { imei: '490154203237518' },
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      headers: { 'dlt-reason': 'retries-exhausted', 'dlt-error': 'db down', 'dlt-origin-topic': 'hamta.devices' },
    };
    await bus.publish([letter]);
    const arrived: ReceivedEvent[] = [];
    await bus.subscribe({ groupId: 'consumer', topics: ['hamta.devices'], handle: async (e) => void arrived.push(e) });

    const first = await replayDeadLetters({ bus, topic: 'hamta.devices', idleMs: 200 });
    const second = await replayDeadLetters({ bus, topic: 'hamta.devices', idleMs: 200 });

    expect(first).toEqual({ replayed: 1, skipped: 0 });
    expect(second).toEqual({ replayed: 0, skipped: 0 });
    expect(arrived).toHaveLength(1);
    expect(arrived[0]).toMatchObject({
      id: letter.id,
      type: letter.type,
      source: letter.source,
      subject: letter.subject,
      time: letter.time,
      data: letter.data,
      traceparent: letter.traceparent,
      topic: 'hamta.devices',
    });
    expect(Object.keys(arrived[0]!.headers ?? {}).filter((h) => h.startsWith('dlt-') && h !== 'dlt-replayed-from')).toEqual([]);
    await bus.close();
  });
});
