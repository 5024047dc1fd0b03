import { describe, expect, it } from '@jest/globals';
import { hold, issued, revoke, unhold, type CertificateStatus } from './certificate-status.js';
import { StatusTransitionError } from './certificate.errors.js';
import { REVOCATION_REASONS } from './revocation-reason.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-02T00:00:00Z');
const t2 = new Date('2026-01-03T00:00:00Z');
const good = (): CertificateStatus => issued('issuer-1', 'abc1', new Date('2030-01-01T00:00:00Z'), t0);
const { keyCompromise, superseded, certificateHold } = REVOCATION_REASONS;

/** Throws the rule violation with its stable code. */
function expectInvalidTransition(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(StatusTransitionError);
  expect((thrown as StatusTransitionError).code).toBe('OCSP.STATUS_TRANSITION_INVALID');
}

describe('certificate status transitions', () => {
  it('revokes a good certificate with time, reason and invalidity date, bumping the version', () => {
    const { status, changed } = revoke(good(), t1, keyCompromise, t0, t2);
    expect(changed).toBe(true);
    expect(status).toMatchObject({ state: 'revoked', revokedAt: t1, reason: keyCompromise, invalidityDate: t0, updatedAt: t2 });
  });

  it('revoke after revoke with the same reason is a no-op (a redelivered event), with another reason OCSP.STATUS_TRANSITION_INVALID', () => {
    const revoked = revoke(good(), t1, keyCompromise, null, t1).status;
    const again = revoke(revoked, t2, keyCompromise, null, t2);
    expect(again.changed).toBe(false);
    expect(again.status).toBe(revoked);
    expectInvalidTransition(() => revoke(revoked, t2, superseded, null, t2));
  });

  it('revocation is final: no hold, no unhold, no hold-reason revocation of a revoked certificate', () => {
    const revoked = revoke(good(), t1, keyCompromise, null, t1).status;
    expectInvalidTransition(() => hold(revoked, t2, t2));
    expectInvalidTransition(() => unhold(revoked, t2));
    expectInvalidTransition(() => revoke(revoked, t2, certificateHold, null, t2));
  });

  it('unhold of a certificate that is not held: a good one is a no-op, a revoked one is refused', () => {
    const g = good();
    const lifted = unhold(g, t1);
    expect(lifted.changed).toBe(false);
    expect(lifted.status).toBe(g);
    expectInvalidTransition(() => unhold(revoke(g, t1, superseded, null, t1).status, t2));
  });

  it('hold then unhold returns to good; holding twice is a no-op', () => {
    const held = hold(good(), t1, t1);
    expect(held.status).toMatchObject({ state: 'on_hold', reason: certificateHold, revokedAt: t1 });
    expect(hold(held.status, t2, t2).changed).toBe(false);
    expect(revoke(good(), t1, certificateHold, null, t1).status.state).toBe('on_hold');
    const released = unhold(held.status, t2);
    expect(released.changed).toBe(true);
    expect(released.status).toMatchObject({ state: 'good', revokedAt: null, reason: null, invalidityDate: null, updatedAt: t2 });
  });

  it('a held certificate revoked for good keeps the hold time as its revocation time', () => {
    const held = hold(good(), t1, t1).status;
    const { status, changed } = revoke(held, t2, keyCompromise, null, t2);
    expect(changed).toBe(true);
    expect(status).toMatchObject({ state: 'revoked', reason: keyCompromise, revokedAt: t1 });
  });
});
