import { describe, expect, it } from '@jest/globals';
import { findInvalidString, jsonNestingDepth } from './json-body.js';

describe('jsonNestingDepth', () => {
  it('counts arrays and objects, not brackets inside strings or escaped quotes', () => {
    expect(jsonNestingDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonNestingDepth('{"a":"[[[[{{{"}')).toBe(1);
    expect(jsonNestingDepth('{"a":"\\"[[[","b":[]}')).toBe(2);
    expect(jsonNestingDepth('42')).toBe(0);
  });

  it('stops early past the limit on a 100,000-deep body', () => {
    expect(jsonNestingDepth('['.repeat(100_000), 32)).toBe(33);
  });
});

describe('findInvalidString', () => {
  it('names the path of a NUL or an unpaired surrogate in keys or values', () => {
    expect(findInvalidString({ a: 'ok', b: ['x', 'y\u0000'] })).toBe('b.1');
    expect(findInvalidString({ reason: 'a\ud800' })).toBe('reason');
    expect(findInvalidString({ ['k\udc00']: 1 })).toBe('k\udc00');
    expect(findInvalidString('\u0000')).toBe('(body)');
    expect(findInvalidString({ name: 'Sara \u{1F600}', n: 1, z: null })).toBeUndefined();
  });
});
