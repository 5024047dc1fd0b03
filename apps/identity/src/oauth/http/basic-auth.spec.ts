import { describe, expect, it } from '@jest/globals';
import { parseBasicAuth } from './basic-auth.js';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('parseBasicAuth (RFC 6749 §2.3.1)', () => {
  it('splits on the first colon and percent-decodes both parts', () => {
    expect(parseBasicAuth(basic('agency-1:a%3Ab%2Bc'))).toEqual({ clientId: 'agency-1', clientSecret: 'a:b+c' });
    expect(parseBasicAuth(basic('id:se:cret'))).toEqual({ clientId: 'id', clientSecret: 'se:cret' });
  });

  it('ignores other schemes and flags malformed Basic credentials', () => {
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth(basic('no-colon'))).toBe('malformed');
    expect(parseBasicAuth(basic(':secret'))).toBe('malformed');
    expect(parseBasicAuth('Basic !!!')).toBe('malformed');
    expect(parseBasicAuth(basic('id:%E0%A4%A'))).toBe('malformed');
  });
});
