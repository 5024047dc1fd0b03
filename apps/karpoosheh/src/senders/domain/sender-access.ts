import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';

export type SenderAccessStatus = 'REQUESTED' | 'GRANTED' | 'SUSPENDED';

/**
 * An agency's access to send: it asks (REQUESTED), an admin grants (GRANTED), an admin may
 * suspend (SUSPENDED) and grant again. Asking again while REQUESTED or GRANTED changes nothing.
 */
export function requestAccess(current: SenderAccessStatus | null): SenderAccessStatus | 'unchanged' {
  if (current === null) return 'REQUESTED';
  if (current === 'SUSPENDED') {
    throw new KarpooshehError('KARPOOSHEH.SENDER_SUSPENDED', 'conflict', 'Your access is suspended; an administrator must reinstate it.');
  }
  return 'unchanged';
}

export function grantAccess(current: SenderAccessStatus | null): SenderAccessStatus | 'unchanged' {
  if (current === null) throw new KarpooshehError('KARPOOSHEH.ACCESS_NOT_REQUESTED', 'not_found', 'This agency has not asked for access.');
  return current === 'GRANTED' ? 'unchanged' : 'GRANTED';
}

export function suspendAccess(current: SenderAccessStatus | null): SenderAccessStatus | 'unchanged' {
  if (current === null) throw new KarpooshehError('KARPOOSHEH.ACCESS_NOT_REQUESTED', 'not_found', 'This agency has not asked for access.');
  return current === 'SUSPENDED' ? 'unchanged' : 'SUSPENDED';
}

/** Sends need GRANTED access. */
export function assertMaySend(current: SenderAccessStatus | null): void {
  if (current === 'GRANTED') return;
  const detail =
    current === null
      ? 'Your agency has no Karpoosheh access; request it with POST /senders/me/access-request.'
      : current === 'REQUESTED'
        ? 'Your access request is waiting for an administrator.'
        : 'Your access is suspended.';
  throw new KarpooshehError('KARPOOSHEH.SENDER_NOT_GRANTED', 'forbidden', detail);
}
