import { describe, expect, it } from '@jest/globals';
import { ContractCatalog, UnknownEventTypeError } from './contract-catalog.js';
import { defineEvent } from './define-event.js';

const Sample = defineEvent<{ imei: string; at: string }>({
  type: 'ir.darvazeh.test.device.seen.v1',
  topic: 'hamta.sightings',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['imei', 'at'],
    properties: { imei: { type: 'string', pattern: '^[0-9]{15}$' }, at: { type: 'string', format: 'date-time' } },
  },
});

describe('ContractCatalog', () => {
  const catalog = new ContractCatalog([Sample]);

  it('finds a contract and its topic by event type', () => {
    expect(catalog.topicOf(Sample.type)).toBe('hamta.sightings');
    expect(catalog.find('ir.darvazeh.test.nope.v1')).toBeUndefined();
    expect(() => catalog.get('ir.darvazeh.test.nope.v1')).toThrow(UnknownEventTypeError);
  });

  it('accepts a payload that matches the schema', () => {
    expect(catalog.validate(Sample.type, { imei: '490154203237518', at: '2026-01-01T00:00:00Z' })).toEqual({ valid: true });
  });

  it('rejects a bad payload naming every problem readably', () => {
    const result = catalog.validate(Sample.type, { imei: '12', extra: 1 });
    expect(result.valid).toBe(false);
    const errors = result.valid ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        '(root): missing required property "at"',
        '(root): unexpected property "extra"',
        expect.stringMatching(/^\/imei: must match pattern/),
      ]),
    );
  });

  it('checks formats (ajv-formats)', () => {
    expect(catalog.validate(Sample.type, { imei: '490154203237518', at: 'yesterday' }).valid).toBe(false);
  });

  it('refuses two different contracts with one type', () => {
    expect(() => catalog.add({ ...Sample })).toThrow(/declared twice/);
  });

  it('refuses event types that do not carry a version', () => {
    expect(() => defineEvent({ type: 'device.seen', topic: 'hamta.sightings', schema: {} })).toThrow(/v<n>/);
  });
});
