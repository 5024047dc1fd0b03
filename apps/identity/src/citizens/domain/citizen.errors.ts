import { DomainError } from '@darvazeh/core';

export class NationalCodeInvalidError extends DomainError {
  readonly code = 'IDENTITY.NATIONAL_CODE_INVALID';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The national code must be 10 digits with a valid check digit', {
      errors: [{ field: 'nationalCode', message: 'must be a 10-digit national code with a valid check digit' }],
    });
  }
}

export class MobileInvalidError extends DomainError {
  readonly code = 'IDENTITY.MOBILE_INVALID';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The mobile number must be an Iranian mobile number (09xxxxxxxxx)', {
      errors: [{ field: 'mobile', message: 'must be an Iranian mobile number like 09121234567 or +989121234567' }],
    });
  }
}

export class CitizenAlreadyRegisteredError extends DomainError {
  readonly code = 'IDENTITY.CITIZEN_ALREADY_REGISTERED';
  readonly kind = 'conflict' as const;
  constructor() {
    super('A citizen with this national code is already registered', {
      errors: [{ field: 'nationalCode', message: 'is already registered' }],
    });
  }
}

export class CitizenNotFoundError extends DomainError {
  readonly code = 'IDENTITY.CITIZEN_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor() {
    super('No such citizen');
  }
}

export class CitizenDisabledError extends DomainError {
  readonly code = 'IDENTITY.CITIZEN_DISABLED';
  readonly kind = 'conflict' as const;
  constructor() {
    super('The citizen account is disabled');
  }
}

export class CitizenActiveError extends DomainError {
  readonly code = 'IDENTITY.CITIZEN_ACTIVE';
  readonly kind = 'conflict' as const;
  constructor() {
    super('The citizen account is already active');
  }
}

/**
 * Wrong, expired, used-up or missing code, locked or unknown account: one error with one text,
 * so the answer tells neither whether the national code is registered nor how many tries are left.
 */
export class OtpInvalidError extends DomainError {
  readonly code = 'IDENTITY.OTP_INVALID';
  readonly kind = 'unauthenticated' as const;
  constructor(readonly reason: 'mismatch' | 'expired' | 'exhausted' | 'missing' | 'locked') {
    super('The code is wrong or no longer valid', { hint: 'Check the code, or request a new one' });
  }
}

/** Internal: the account is locked after too many wrong codes (answered like any other OTP request). */
export class OtpLockedError extends DomainError {
  readonly code = 'IDENTITY.OTP_LOCKED';
  readonly kind = 'rate_limited' as const;
  constructor() {
    super('Too many wrong codes; logins are locked for a while');
  }
}

/**
 * The operators' subscriber records (Shahkar) do not bind this mobile number to this national
 * code now. Says nothing of who, if anyone, the number belongs to.
 */
export class MobileNotOwnedError extends DomainError {
  readonly code = 'IDENTITY.MOBILE_NOT_OWNED';
  readonly kind = 'rule_violation' as const;
  constructor() {
    super('This mobile number is not registered to this national code with a mobile operator', {
      errors: [{ field: 'mobile', message: 'must be a line registered to the national code (Shahkar)' }],
      hint: 'Use a SIM card registered to your own national code; operators record ownership at the point of sale.',
    });
  }
}

/** A subscriber-ownership record from an operator that cannot be recorded (dead-lettered). */
export class SubscriberOwnershipInvalidError extends DomainError {
  readonly code = 'IDENTITY.SUBSCRIBER_OWNERSHIP_INVALID';
  readonly kind = 'invalid' as const;
  constructor(errors: { field: string; message: string }[]) {
    super('The subscriber ownership record cannot be recorded', { errors });
  }
}

export class OtpResendTooSoonError extends DomainError {
  readonly code = 'IDENTITY.OTP_RESEND_TOO_SOON';
  readonly kind = 'rate_limited' as const;
  constructor(retryAfterSeconds: number) {
    super(`A code was sent recently; wait ${retryAfterSeconds} s before asking again`, {
      hint: `Retry after ${retryAfterSeconds} seconds`,
      retryAfterSeconds,
    });
  }
}

/** Too many citizen requests from one address (registration, OTP) in a short time. */
export class CitizenRequestsRateLimitedError extends DomainError {
  readonly code = 'IDENTITY.RATE_LIMITED';
  readonly kind = 'rate_limited' as const;
  constructor(retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

export class SmsDeliveryFailedError extends DomainError {
  readonly code = 'IDENTITY.SMS_UNAVAILABLE';
  readonly kind = 'unavailable' as const;
  constructor(cause?: unknown) {
    super('The SMS gateway did not accept the message', { cause });
  }
}
