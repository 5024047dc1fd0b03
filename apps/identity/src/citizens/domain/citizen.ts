import { MobileInvalidError, NationalCodeInvalidError } from './citizen.errors.js';
import { normalizeMobile } from './mobile-number.js';
import { parseNationalCode } from './national-code.js';

export interface CitizenProps {
  id: string;
  nationalCode: string;
  mobile: string;
  createdAt: Date;
}

export class Citizen {
  private constructor(private readonly props: CitizenProps) {}

  /** Validates both fields and reports every bad one, so a form shows all problems at once. */
  static register(input: { id: string; nationalCode: string; mobile: string; now: Date }): Citizen {
    const nationalCode = parseNationalCode(input.nationalCode);
    const mobile = normalizeMobile(input.mobile);
    if (!nationalCode) {
      const error = new NationalCodeInvalidError();
      if (!mobile) error.errors?.push(...(new MobileInvalidError().errors ?? []));
      throw error;
    }
    if (!mobile) throw new MobileInvalidError();
    return new Citizen({ id: input.id, nationalCode, mobile, createdAt: input.now });
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

  toProps(): CitizenProps {
    return { ...this.props };
  }
}
