import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../shared/clock.js';
import { SigningKey } from './signing-key.js';
import { PrivateKeyCipher } from './private-key-cipher.js';

const lifetimes = { tokenTtlSeconds: 900, clockSkewSeconds: 60 };
const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', alg: 'ES256', use: 'sig' as const };

describe('SigningKey lifecycle', () => {
  it('a deactivated key stays published until token lifetime + skew, then retires', () => {
    const clock = new ManualClock();
    const key = SigningKey.create({ kid: 'k1', publicJwk: jwk, privateKeyCiphertext: 'ct', now: clock.now() });
    clock.advanceSeconds(100);
    key.deactivate(clock.now(), lifetimes);
    expect(key.status).toBe('retiring');
    clock.advanceSeconds(959);
    expect(key.isPublished(clock.now())).toBe(true);
    expect(key.retireIfExpired(clock.now())).toBe(false);
    clock.advanceSeconds(1);
    expect(key.isPublished(clock.now())).toBe(false);
    expect(key.retireIfExpired(clock.now())).toBe(true);
    expect(key.status).toBe('retired');
    expect(key.privateKeyCiphertext).toBeNull();
  });

  it('rotation is due once the active key is older than the interval; 0 disables it', () => {
    const clock = new ManualClock();
    const key = SigningKey.create({ kid: 'k1', publicJwk: jwk, privateKeyCiphertext: 'ct', now: clock.now() });
    clock.advanceSeconds(3599);
    expect(key.isRotationDue(clock.now(), 3600)).toBe(false);
    clock.advanceSeconds(1);
    expect(key.isRotationDue(clock.now(), 3600)).toBe(true);
    expect(key.isRotationDue(clock.now(), 0)).toBe(false);
  });
});

describe('PrivateKeyCipher', () => {
  const cipher = new PrivateKeyCipher('a passphrase from config');

  it('round-trips and never stores the plaintext', () => {
    const ct = cipher.encrypt('-----BEGIN PRIVATE KEY-----abc', 'k1');
    expect(ct).not.toContain('PRIVATE KEY');
    expect(cipher.decrypt(ct, 'k1')).toBe('-----BEGIN PRIVATE KEY-----abc');
  });

  it('refuses another secret, another kid or a tampered ciphertext', () => {
    const ct = cipher.encrypt('pem', 'k1');
    expect(() => new PrivateKeyCipher('other').decrypt(ct, 'k1')).toThrow();
    expect(() => cipher.decrypt(ct, 'k2')).toThrow();
    const parts = ct.split('.');
    parts[3] = Buffer.from('xyz').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'k1')).toThrow();
  });
});
