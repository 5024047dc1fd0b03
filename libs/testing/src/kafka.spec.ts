import { afterEach, describe, expect, it } from '@jest/globals';
import { testKafkaBrokerList, testKafkaBrokers, uniqueTopic } from './kafka.js';

describe('uniqueTopic', () => {
  it('keeps the prefix, differs on every call and uses only legal topic characters', () => {
    const a = uniqueTopic('hamta.devices');
    const b = uniqueTopic('hamta.devices');
    expect(a.startsWith('hamta.devices.')).toBe(true);
    expect(a).not.toBe(b);
    expect(uniqueTopic('bad name/with*chars')).toMatch(/^[a-zA-Z0-9._-]+$/);
  });
});

describe('testKafkaBrokers', () => {
  const saved = process.env.KAFKA_BROKERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = saved;
  });

  it('says how to get a broker when KAFKA_BROKERS is unset', () => {
    delete process.env.KAFKA_BROKERS;
    expect(() => testKafkaBrokers()).toThrow(/KAFKA_BROKERS is not set.*npm test/);
  });

  it('returns the variable, and as a trimmed list', () => {
    process.env.KAFKA_BROKERS = '127.0.0.1:9092, 127.0.0.1:9093';
    expect(testKafkaBrokers()).toBe('127.0.0.1:9092, 127.0.0.1:9093');
    expect(testKafkaBrokerList()).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
  });
});
