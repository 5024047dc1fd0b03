import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { ALL_TOPICS, EVENT_CONTRACTS } from './index.js';

interface AsyncApiDoc {
  asyncapi: string;
  channels: Record<string, { address: string; messages?: Record<string, { $ref: string }> }>;
  components: { messages?: Record<string, { name: string; payload: unknown }> };
}

const doc = load(readFileSync(new URL('../asyncapi.yaml', import.meta.url), 'utf8')) as AsyncApiDoc;

describe('asyncapi.yaml lists every topic and event contract', () => {
  it('is an AsyncAPI 3 document', () => {
    expect(doc.asyncapi).toMatch(/^3\./);
  });

  it.each([...ALL_TOPICS])('has a channel for topic %s', (topic) => {
    expect(Object.values(doc.channels).map((c) => c.address)).toContain(topic);
  });

  const contracts = EVENT_CONTRACTS.map((c) => [c.type, c] as const);
  it('covers every registered contract (the registry is not empty once services add theirs)', () => {
    const missing = EVENT_CONTRACTS.filter((c) => !doc.components.messages?.[c.type]).map((c) => c.type);
    expect(missing).toEqual([]);
  });

  if (contracts.length > 0) {
    it.each(contracts)('documents %s with the registered schema, on its topic', (type, contract) => {
      const message = doc.components.messages?.[type];
      expect(message?.name).toBe(type);
      expect(message?.payload).toEqual(contract.schema);
      const channel = Object.values(doc.channels).find((c) => c.address === contract.topic);
      const refs = Object.values(channel?.messages ?? {}).map((m) => m.$ref);
      expect(refs).toContain(`#/components/messages/${type}`);
    });
  }

  it('documents no message that is not registered', () => {
    const registered = new Set(EVENT_CONTRACTS.map((c) => c.type));
    expect(Object.keys(doc.components.messages ?? {}).filter((type) => !registered.has(type))).toEqual([]);
  });
});
