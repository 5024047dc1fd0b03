import { CitizenActiveError, CitizenDisabledError, MobileInvalidError, NationalCodeInvalidError } from './citizen.errors.js';
import { parseMsisdn, parseNationalCode } from '@darvazeh/core';

export type CitizenStatus = 'active' | 'disabled';

export interface CitizenProps {
  id: string;
  nationalCode: string;
  mobile: string;
  status: CitizenStatus;
  createdAt: Date;
  disabledAt: Date | null;
}

export class Citizen {
  private constructor(private props: CitizenProps) {}

  /** Validates both fields and reports every bad one, so a form shows all problems at once. */
  static register(input: { id: string; nationalCode: string; mobile: string; now: Date }): Citizen {
    const nationalCode = parseNationalCode(input.nationalCode);
    const mobile = parseMsisdn(input.mobile);
    if (!nationalCode) {
      const error = new NationalCodeInvalidError();
      if (!mobile) error.errors?.push(...(new MobileInvalidError().errors ?? []));
      throw error;
    }
    if (!mobile) throw new MobileInvalidError();
    return new Citizen({ id: input.id, nationalCode, mobile, status: 'active', createdAt: input.now, disabledAt: null });
  }

  static restore(props: CitizenProps): Citizen {
    return new Citizen({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get nationalCode(): string {
    return this.props.nationalCode;
  }
  get mobile(): string {
    return this.props.mobile;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get status(): CitizenStatus {
    return this.props.status;
  }
  get isActive(): boolean {
    return this.props.status === 'active';
  }
  get disabledAt(): Date | null {
    return this.props.disabledAt;
  }

  /** No login codes, no tokens; tokens already issued are refused once services see the event. */
  disable(now: Date): void {
    if (!this.isActive) throw new CitizenDisabledError();
    this.props = { ...this.props, status: 'disabled', disabledAt: now };
  }

  enable(): void {
    if (this.isActive) throw new CitizenActiveError();
    this.props = { ...this.props, status: 'active', disabledAt: null };
  }

  toProps(): CitizenProps {
    return { ...this.props };
  }
}
