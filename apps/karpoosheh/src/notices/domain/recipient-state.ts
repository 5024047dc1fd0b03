import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';

/** Per-recipient delivery state of a notice (the same names travel in events). */
export const RECIPIENT_STATES = ['ACCEPTED', 'DELIVERED', 'VIEWED', 'EFFECTIVE', 'CANCELLED', 'FAILED'] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/**
 * Allowed moves. DELIVERED: placed in the inbox. VIEWED: first opened (also after EFFECTIVE:
 * the deemed-delivery date stands, the opening is still recorded). EFFECTIVE: deemed delivered
 * after N unopened days. CANCELLED: by the sender while no one has opened it and before it took
 * legal effect. FAILED: the recipient does not exist. VIEWED, CANCELLED and FAILED are final.
 */
const TRANSITIONS: Record<RecipientState, readonly RecipientState[]> = {
  ACCEPTED: ['DELIVERED', 'FAILED', 'CANCELLED'],
  DELIVERED: ['VIEWED', 'EFFECTIVE', 'CANCELLED'],
  EFFECTIVE: ['VIEWED'],
  VIEWED: [],
  CANCELLED: [],
  FAILED: [],
};

export function canTransition(from: RecipientState, to: RecipientState): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends KarpooshehError {
  constructor(
    readonly from: RecipientState,
    readonly to: RecipientState,
  ) {
    super('KARPOOSHEH.ILLEGAL_TRANSITION', 'conflict', `A notice in state ${from} cannot become ${to}.`);
  }
}

/** Checks a move; throws IllegalTransitionError when the state machine forbids it. */
export function transition(from: RecipientState, to: RecipientState): RecipientState {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
  return to;
}

/** States a recipient sees in their inbox (not yet-to-arrive, cancelled or failed entries). */
export const VISIBLE_STATES: readonly RecipientState[] = ['DELIVERED', 'VIEWED', 'EFFECTIVE'];

/** States from which the sender may still cancel. */
export const CANCELLABLE_STATES: readonly RecipientState[] = RECIPIENT_STATES.filter((s) => canTransition(s, 'CANCELLED'));

export function isRecipientState(value: unknown): value is RecipientState {
  return typeof value === 'string' && (RECIPIENT_STATES as readonly string[]).includes(value);
}
