import { AgencyDisabledError, AgencyFieldInvalidError, AgencyNationalIdInvalidError } from './agency.errors.js';
import { parseCompanyNationalId } from '@darvazeh/core';

/** Kinds of executive body that register with the gateway. Stored and published: wire format. */
export const AGENCY_TYPES = [
  'ministry',
  'government_organization',
  'state_company',
  'public_institution',
  'municipality',
  'judiciary',
  'other',
] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export type AgencyStatus = 'active' | 'disabled';

export interface AgencyProps {
  id: string;
  name: string;
  nationalId: string;
  parentMinistry: string;
  type: AgencyType;
  status: AgencyStatus;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface RegisterAgencyInput {
  id: string;
  name: string;
  nationalId: string;
  parentMinistry: string;
  type: string;
  now: Date;
}

const MAX_TEXT = 200;

function requireText(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new AgencyFieldInvalidError(field, 'must not be empty');
  if (trimmed.length > MAX_TEXT) throw new AgencyFieldInvalidError(field, `must be at most ${MAX_TEXT} characters`);
  return trimmed;
}

/** An executive agency known to the gateway. Disabling is final: its credentials stop working. */
export class Agency {
  private constructor(private props: AgencyProps) {}

  static register(input: RegisterAgencyInput): Agency {
    const nationalId = parseCompanyNationalId(input.nationalId);
    if (!nationalId) throw new AgencyNationalIdInvalidError();
    if (!(AGENCY_TYPES as readonly string[]).includes(input.type)) {
      throw new AgencyFieldInvalidError('type', `must be one of ${AGENCY_TYPES.join(', ')}`);
    }
    return new Agency({
      id: input.id,
      name: requireText('name', input.name),
      nationalId,
      parentMinistry: requireText('parentMinistry', input.parentMinistry),
      type: input.type as AgencyType,
      status: 'active',
      createdAt: input.now,
      disabledAt: null,
    });
  }

  static restore(props: AgencyProps): Agency {
    return new Agency({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get name(): string {
    return this.props.name;
  }
  get nationalId(): string {
    return this.props.nationalId;
  }
  get parentMinistry(): string {
    return this.props.parentMinistry;
  }
  get type(): AgencyType {
    return this.props.type;
  }
  get status(): AgencyStatus {
    return this.props.status;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get disabledAt(): Date | null {
    return this.props.disabledAt;
  }
  get isActive(): boolean {
    return this.props.status === 'active';
  }

  /** Throws when disabled: rotating a disabled agency's secret would silently revive nothing. */
  assertActive(): void {
    if (!this.isActive) throw new AgencyDisabledError(this.id);
  }

  disable(now: Date): void {
    this.assertActive();
    this.props = { ...this.props, status: 'disabled', disabledAt: now };
  }

  toProps(): AgencyProps {
    return { ...this.props };
  }
}
