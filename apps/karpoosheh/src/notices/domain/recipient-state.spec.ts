import { describe, expect, it } from '@jest/globals';
import { CANCELLABLE_STATES, IllegalTransitionError, RECIPIENT_STATES, canTransition, transition, type RecipientState } from './recipient-state.js';

const ALLOWED: [RecipientState, RecipientState][] = [
  ['ACCEPTED', 'DELIVERED'],
  ['ACCEPTED', 'FAILED'],
  ['ACCEPTED', 'CANCELLED'],
  ['DELIVERED', 'VIEWED'],
  ['DELIVERED', 'EFFECTIVE'],
  ['DELIVERED', 'CANCELLED'],
  ['EFFECTIVE', 'VIEWED'],
];

const key = (from: RecipientState, to: RecipientState) => `${from}->${to}`;
const allowed = new Set(ALLOWED.map(([f, t]) => key(f, t)));
const ALL_PAIRS = RECIPIENT_STATES.flatMap((from) => RECIPIENT_STATES.map((to) => [from, to] as [RecipientState, RecipientState]));
const FORBIDDEN = ALL_PAIRS.filter(([f, t]) => !allowed.has(key(f, t)));

describe('per-recipient state machine', () => {
  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(transition(from, to)).toBe(to);
  });

  it.each(FORBIDDEN)('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => transition(from, to)).toThrow(IllegalTransitionError);
  });

  it('checks all 36 pairs (7 allowed, 29 forbidden)', () => {
    expect(ALLOWED.length + FORBIDDEN.length).toBe(36);
  });

  it('lets the sender cancel only before anyone opened it and before legal effect', () => {
    expect([...CANCELLABLE_STATES].sort()).toEqual(['ACCEPTED', 'DELIVERED']);
  });

  it('reports a forbidden move as a conflict with a stable code', () => {
    const error = (() => {
      try {
        transition('VIEWED', 'CANCELLED');
      } catch (e) {
        return e as IllegalTransitionError;
      }
      throw new Error('no error');
    })();
    expect(error.code).toBe('KARPOOSHEH.ILLEGAL_TRANSITION');
    expect(error.kind).toBe('conflict');
  });
});
