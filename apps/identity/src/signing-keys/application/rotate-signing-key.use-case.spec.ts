import { describe, expect, it } from '@jest/globals';
import { identityWorld } from '../../testing/identity-world.js';

describe('RotateSigningKeyUseCase', () => {
  it('creates the first key when none is active, and only then', async () => {
    const w = identityWorld();
    const first = await w.rotateKeys.execute({ mode: 'if-missing' });
    expect(first.rotated).toBe(true);
    const again = await w.rotateKeys.execute({ mode: 'if-missing' });
    expect(again).toMatchObject({ rotated: false, activeKid: first.activeKid });
  });

  it('keeps the old key published until token lifetime + skew has passed, then retires it', async () => {
    const w = identityWorld(); // ttl 900 s, skew 60 s
    const { activeKid: oldKid } = await w.rotateKeys.execute({ mode: 'if-missing' });
    w.clock.advanceSeconds(10);
    const r = await w.rotateKeys.execute({ mode: 'force' });
    expect(r.retiringKids).toEqual([oldKid]);
    const kids = async () => (await w.jwks.execute()).keys.map((k) => k.kid).sort();
    expect(await kids()).toEqual([oldKid, r.activeKid].sort());

    w.clock.advanceSeconds(959);
    expect((await w.rotateKeys.execute({ mode: 'if-due' })).retiredKids).toEqual([]);
    expect(await kids()).toHaveLength(2);

    w.clock.advanceSeconds(1);
    expect(await kids()).toEqual([r.activeKid]);
    const maintenance = await w.rotateKeys.execute({ mode: 'if-due' });
    expect(maintenance.retiredKids).toEqual([oldKid]);
    expect(w.keys.store.rows.get(oldKid)?.privateKeyCiphertext).toBeNull();
  });

  it('rotates on schedule once the active key is older than the interval', async () => {
    const w = identityWorld(); // interval 3600 s
    const { activeKid } = await w.rotateKeys.execute({ mode: 'if-missing' });
    w.clock.advanceSeconds(3599);
    expect((await w.rotateKeys.execute({ mode: 'if-due' })).rotated).toBe(false);
    w.clock.advanceSeconds(1);
    const due = await w.rotateKeys.execute({ mode: 'if-due' });
    expect(due.rotated).toBe(true);
    expect(due.activeKid).not.toBe(activeKid);
  });

  it('takes the rotation lock and stores the private key only encrypted', async () => {
    const w = identityWorld();
    await w.rotateKeys.execute({ mode: 'force' });
    expect(w.keys.locks).toBe(1);
    const key = await w.keys.findActive();
    expect(key?.privateKeyCiphertext).toMatch(/^v1\./);
    expect(key?.privateKeyCiphertext).not.toContain('PRIVATE KEY');
    expect(key?.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: key?.kid });
    expect(key?.publicJwk).not.toHaveProperty('d');
  });
});
