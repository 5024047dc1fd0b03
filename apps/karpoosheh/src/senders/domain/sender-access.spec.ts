import { describe, expect, it } from '@jest/globals';
import { assertMaySend, grantAccess, requestAccess, suspendAccess } from './sender-access.js';

describe('sender access', () => {
  it('goes request → grant → suspend → grant again', () => {
    expect(requestAccess(null)).toBe('REQUESTED');
    expect(grantAccess('REQUESTED')).toBe('GRANTED');
    expect(suspendAccess('GRANTED')).toBe('SUSPENDED');
    expect(grantAccess('SUSPENDED')).toBe('GRANTED');
  });

  it('changes nothing on repeats', () => {
    expect(requestAccess('REQUESTED')).toBe('unchanged');
    expect(requestAccess('GRANTED')).toBe('unchanged');
    expect(grantAccess('GRANTED')).toBe('unchanged');
    expect(suspendAccess('SUSPENDED')).toBe('unchanged');
  });

  it('refuses a suspended agency re-requesting, and grants to agencies that never asked', () => {
    expect(() => requestAccess('SUSPENDED')).toThrow(expect.objectContaining({ code: 'KARPOOSHEH.SENDER_SUSPENDED' }));
    expect(() => grantAccess(null)).toThrow(expect.objectContaining({ code: 'KARPOOSHEH.ACCESS_NOT_REQUESTED' }));
  });

  it('lets only granted agencies send', () => {
    expect(() => assertMaySend('GRANTED')).not.toThrow();
    for (const s of [null, 'REQUESTED', 'SUSPENDED'] as const) expect(() => assertMaySend(s)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });
});
