import { describe, expect, it } from '@jest/globals';
import { ScryptSecretHasher } from './secret-hasher.js';
import { generateClientId, generateClientSecret } from './client-credentials.js';

const fast = new ScryptSecretHasher({ N: 1024, r: 8, p: 1 });

describe('ScryptSecretHasher', () => {
  it('verifies the secret it hashed and refuses any other', async () => {
    const stored = await fast.hash('s3cret');
    expect(await fast.verify('s3cret', stored)).toBe(true);
    expect(await fast.verify('s3cret ', stored)).toBe(false);
    expect(await fast.verify('', stored)).toBe(false);
  });

  it('salts every hash, so equal secrets give different stored values', async () => {
    const a = await fast.hash('same');
    const b = await fast.hash('same');
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('never stores the secret itself and records its parameters', async () => {
    const secret = generateClientSecret();
    const stored = await fast.hash(secret);
    expect(stored).not.toContain(secret);
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
  });

  it('verifies hashes made with other parameters (so the cost can be raised later)', async () => {
    const stored = await fast.hash('x');
    const stronger = new ScryptSecretHasher({ N: 2048, r: 8, p: 1 });
    expect(await stronger.verify('x', stored)).toBe(true);
  });

  it('refuses malformed stored values instead of throwing', async () => {
    expect(await fast.verify('x', 'plain')).toBe(false);
    expect(await fast.verify('x', 'scrypt$a$b$c$d$e')).toBe(false);
  });

  it('the default cost is the slow one (N=2^15)', async () => {
    const stored = await new ScryptSecretHasher().hash('x');
    expect(stored.split('$')[1]).toBe(String(2 ** 15));
  });
});

describe('client credentials generation', () => {
  it('makes 256-bit secrets and prefixed ids that differ each time', () => {
    const s = generateClientSecret();
    expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    expect(generateClientSecret()).not.toBe(s);
    expect(generateClientId('agency')).toMatch(/^agency-[a-z0-9x]{12}$/);
  });
});
