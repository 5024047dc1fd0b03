import { BLOCKED, REGISTERED, STOLEN } from './imei-index.js';

/** EIR list colours as operators' equipment identity registers use them. */
export type EirColour = 'white' | 'grey' | 'black';

/** Stable reason codes of an EIR answer (wire format). */
export type EirReason =
  | 'BLOCKED'
  | 'REPORTED_STOLEN'
  | 'REGISTERED'
  | 'PRE_SCHEME'
  | 'IN_GRACE_PERIOD'
  | 'UNREGISTERED'
  | 'MALFORMED_IMEI';

export interface EirPolicy {
  /** Day number (since 1970) of the scheme's cut-off: devices first seen before it are pre-scheme. */
  cutoffDay: number;
  /** Day number from which pre-scheme devices must be registered too. */
  enforcementDay: number;
  /** Days an unregistered device may attach after it was first seen. */
  graceDays: number;
}

export interface EirAnswer {
  colour: EirColour;
  reason: EirReason;
}

/**
 * Black beats everything (a stolen registered device must not attach); registered is white;
 * a pre-scheme device is white until enforcement; otherwise an unregistered device is white for
 * the grace period after its first sighting (a never-seen device is being seen now) and grey after.
 */
export function classify(state: number, today: number, policy: EirPolicy): EirAnswer {
  if (state & BLOCKED) return { colour: 'black', reason: 'BLOCKED' };
  if (state & STOLEN) return { colour: 'black', reason: 'REPORTED_STOLEN' };
  if (state & REGISTERED) return { colour: 'white', reason: 'REGISTERED' };
  const firstSeen = state >>> 8;
  if (firstSeen !== 0 && firstSeen < policy.cutoffDay && today < policy.enforcementDay) {
    return { colour: 'white', reason: 'PRE_SCHEME' };
  }
  const since = firstSeen === 0 ? today : firstSeen;
  if (today - since < policy.graceDays) return { colour: 'white', reason: 'IN_GRACE_PERIOD' };
  return { colour: 'grey', reason: 'UNREGISTERED' };
}

export const MALFORMED: EirAnswer = { colour: 'grey', reason: 'MALFORMED_IMEI' };
