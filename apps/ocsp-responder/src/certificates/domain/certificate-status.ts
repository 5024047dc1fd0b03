import { StatusTransitionError } from './certificate.errors.js';
import { REVOCATION_REASONS, type RevocationReasonCode } from './revocation-reason.js';

export type CertificateState = 'good' | 'revoked' | 'on_hold';

/**
 * What this responder knows about one certificate of one issuer. A hold is a revocation with
 * reason certificateHold that may be lifted; any other revocation is final.
 */
export interface CertificateStatus {
  issuerId: string;
  /** Canonical hex (SerialNumber.hex). */
  serial: string;
  state: CertificateState;
  notAfter: Date | null;
  revokedAt: Date | null;
  reason: RevocationReasonCode | null;
  invalidityDate: Date | null;
  /** Bumped on every change; a re-signed response carries the version it was built from. */
  updatedAt: Date;
}

export function issued(issuerId: string, serial: string, notAfter: Date | null, now: Date): CertificateStatus {
  return { issuerId, serial, state: 'good', notAfter, revokedAt: null, reason: null, invalidityDate: null, updatedAt: now };
}

/**
 * Revokes (or re-revokes with a new reason, e.g. hold → keyCompromise). A final revocation is
 * never undone; repeating the same revocation is a no-op so redelivered events are harmless.
 */
export function revoke(
  current: CertificateStatus,
  at: Date,
  reason: RevocationReasonCode,
  invalidityDate: Date | null,
  now: Date,
): { status: CertificateStatus; changed: boolean } {
  if (current.state === 'revoked') {
    if (current.reason === reason) return { status: current, changed: false };
    throw new StatusTransitionError(`certificate ${current.serial} is already revoked (reason ${current.reason})`);
  }
  if (reason === REVOCATION_REASONS.certificateHold) return hold(current, at, now);
  const revokedAt = current.state === 'on_hold' && current.revokedAt ? current.revokedAt : at;
  return {
    status: { ...current, state: 'revoked', revokedAt, reason, invalidityDate, updatedAt: now },
    changed: true,
  };
}

export function hold(current: CertificateStatus, at: Date, now: Date): { status: CertificateStatus; changed: boolean } {
  if (current.state === 'on_hold') return { status: current, changed: false };
  if (current.state === 'revoked') throw new StatusTransitionError(`certificate ${current.serial} is revoked; it cannot be put on hold`);
  return {
    status: { ...current, state: 'on_hold', revokedAt: at, reason: REVOCATION_REASONS.certificateHold, invalidityDate: null, updatedAt: now },
    changed: true,
  };
}

export function unhold(current: CertificateStatus, now: Date): { status: CertificateStatus; changed: boolean } {
  if (current.state === 'good') return { status: current, changed: false };
  if (current.state === 'revoked') throw new StatusTransitionError(`certificate ${current.serial} is revoked; only a hold can be lifted`);
  return { status: { ...current, state: 'good', revokedAt: null, reason: null, invalidityDate: null, updatedAt: now }, changed: true };
}
