import { describe, expect, it } from '@jest/globals';
import { changeGrant, mayChangeGrant, maySeeGrant, type Grant } from './grant.js';

const g: Grant = {
  id: 'g',
  requestId: null,
  consumerAgencyId: 'c',
  providerAgencyId: 'p',
  serviceCode: 'hamta.imei-status',
  environment: 'GSB',
  status: 'ACTIVE',
  quotaPerMinute: 60,
  quotaPerDay: 1000,
  validFrom: new Date('2026-01-01'),
  validUntil: null,
  version: 1,
  changedAt: new Date('2026-01-01'),
  reason: null,
};
const at = new Date('2026-12-07T10:00:00Z');

describe('grant lifecycle', () => {
  it('suspend → reinstate → revoke, each bumping the version', () => {
    const s = changeGrant(g, 'suspend', 'abuse', at);
    expect([s.status, s.version, s.reason]).toEqual(['SUSPENDED', 2, 'abuse']);
    const r = changeGrant(s, 'reinstate', null, at);
    expect([r.status, r.version, r.reason]).toEqual(['ACTIVE', 3, null]);
    const v = changeGrant(r, 'revoke', 'contract ended', at);
    expect([v.status, v.version]).toEqual(['REVOKED', 4]);
  });
  it.each<[Grant['status'], 'suspend' | 'reinstate' | 'revoke']>([
    ['SUSPENDED', 'suspend'],
    ['ACTIVE', 'reinstate'],
    ['REVOKED', 'reinstate'],
    ['REVOKED', 'revoke'],
    ['REVOKED', 'suspend'],
  ])('a %s grant cannot be %s-ed', (status, action) => {
    expect(() => changeGrant({ ...g, status }, action, 'x', at)).toThrow(expect.objectContaining({ code: 'GSB.GRANT_TRANSITION_NOT_ALLOWED' }));
  });
  it('suspend and revoke need a reason', () => {
    expect(() => changeGrant(g, 'suspend', ' ', at)).toThrow(expect.objectContaining({ code: 'GSB.REASON_REQUIRED' }));
    expect(() => changeGrant(g, 'revoke', null, at)).toThrow(expect.objectContaining({ code: 'GSB.REASON_REQUIRED' }));
  });
  it('only admins and the provider change a grant; the consumer and experts read it', () => {
    expect(mayChangeGrant({ subject: 'a', roles: ['admin'] }, g)).toBe(true);
    expect(mayChangeGrant({ subject: 'p', roles: ['agency'], agencyId: 'p' }, g)).toBe(true);
    expect(mayChangeGrant({ subject: 'c', roles: ['agency'], agencyId: 'c' }, g)).toBe(false);
    expect(mayChangeGrant({ subject: 'e', roles: ['expert'] }, g)).toBe(false);
    expect(maySeeGrant({ subject: 'c', roles: ['agency'], agencyId: 'c' }, g)).toBe(true);
    expect(maySeeGrant({ subject: 'x', roles: ['agency'], agencyId: 'x' }, g)).toBe(false);
    expect(maySeeGrant({ subject: 'e', roles: ['expert'] }, g)).toBe(true);
  });
});
