import type { Msisdn, OperatorCode } from '@darvazeh/core';

/**
 * One Shahkar-style record from an operator's feed (`hamta.subscribers`): from `validFrom`
 * (until `validTo`, or until the next record of the number) `msisdn` belongs to `nationalCode`;
 * null means the line was terminated.
 */
export interface SubscriberOwnership {
  operatorCode: OperatorCode;
  msisdn: Msisdn;
  nationalCode: string | null;
  validFrom: Date;
  validTo: Date | null;
}

/**
 * Port: identity's own projection of the operators' subscriber records, used to prove at
 * registration that the mobile belongs to the national code. Records are keyed by
 * (msisdn, validFrom); a record never replaces another operator's record (number portability
 * arrives as a new record with its own validFrom).
 */
export abstract class SubscriberOwnershipRegistry {
  abstract record(ownership: SubscriberOwnership): Promise<void>;
  /** The national code owning `msisdn` at `at`, or null (unknown number, terminated, expired). */
  abstract ownerAt(msisdn: Msisdn, at: Date): Promise<string | null>;
}
