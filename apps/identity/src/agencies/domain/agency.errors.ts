import { DomainError } from '@darvazeh/core';

export class AgencyNationalIdInvalidError extends DomainError {
  readonly code = 'IDENTITY.AGENCY_NATIONAL_ID_INVALID';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The legal national ID must be 11 digits with a valid check digit', {
      errors: [{ field: 'nationalId', message: 'must be an 11-digit legal national ID with a valid check digit' }],
    });
  }
}

export class AgencyNationalIdTakenError extends DomainError {
  readonly code = 'IDENTITY.AGENCY_ALREADY_REGISTERED';
  readonly kind = 'conflict' as const;
  constructor(nationalId: string) {
    super(`An agency with legal national ID ${nationalId} is already registered`, {
      errors: [{ field: 'nationalId', message: 'is already registered' }],
    });
  }
}

export class AgencyNotFoundError extends DomainError {
  readonly code = 'IDENTITY.AGENCY_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(id: string) {
    super(`Agency ${id} does not exist`);
  }
}

export class AgencyDisabledError extends DomainError {
  readonly code = 'IDENTITY.AGENCY_DISABLED';
  readonly kind = 'conflict' as const;
  constructor(id: string) {
    super(`Agency ${id} is disabled`, { hint: 'A disabled agency cannot be changed or given new credentials' });
  }
}

export class AgencyFieldInvalidError extends DomainError {
  readonly code = 'IDENTITY.AGENCY_FIELD_INVALID';
  readonly kind = 'invalid' as const;
  constructor(field: string, message: string) {
    super(`${field} ${message}`, { errors: [{ field, message }] });
  }
}
