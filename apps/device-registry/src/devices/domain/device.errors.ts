import { ConflictError, InvalidInputError, NotFoundError, RuleViolationError } from '../../shared/domain/hamta.errors.js';

// One class per reason code; codes and messages are wire format (clients branch on the code).

export class DeviceNotFoundError extends NotFoundError {
  /** `owned`: asked by a citizen, whose someone-else's device answers like a missing one. */
  constructor(deviceId: string, asked: 'owned' | 'any') {
    super(
      'HAMTA.DEVICE_NOT_FOUND',
      asked === 'owned' ? `device ${deviceId} is not among your devices` : `device ${deviceId} does not exist`,
      asked === 'owned' ? 'List your devices with GET /devices.' : undefined,
    );
  }
}
export class AlreadyReportedStolenError extends ConflictError {
  constructor() {
    super('HAMTA.ALREADY_REPORTED_STOLEN', 'this device is already reported lost/stolen', 'Mark it recovered when you have it back.');
  }
}
export class NotReportedStolenError extends ConflictError {
  constructor() {
    super('HAMTA.NOT_REPORTED_STOLEN', 'this device is not reported lost/stolen');
  }
}
export class AlreadyBlockedError extends ConflictError {
  constructor() {
    super('HAMTA.ALREADY_BLOCKED', 'the device is already blocked');
  }
}
export class NotBlockedError extends ConflictError {
  constructor() {
    super('HAMTA.NOT_BLOCKED', 'the device is not blocked');
  }
}
export class NationalCodeInvalidError extends InvalidInputError {
  constructor(field: string, value: string) {
    super('HAMTA.NATIONAL_CODE_INVALID', `"${value}" is not a valid national code`, {
      errors: [{ field, message: 'must be a 10-digit national code with a valid check digit' }],
    });
  }
}
export class TransferToSelfError extends InvalidInputError {
  constructor() {
    super('HAMTA.TRANSFER_TO_SELF', 'you cannot transfer a device to yourself', {
      errors: [{ field: 'toNationalCode', message: 'must be someone else' }],
    });
  }
}
export class TransferNotAllowedError extends RuleViolationError {
  /** `start`: the owner's own stolen/blocked device; `accept`: the device changed since the transfer began. */
  constructor(when: 'start' | 'accept', stolen = false) {
    if (when === 'start') {
      super('HAMTA.TRANSFER_NOT_ALLOWED', 'a stolen or blocked device cannot be transferred', {
        hint: stolen ? 'Mark it recovered first.' : 'Ask the registry to lift the block first.',
      });
    } else {
      super('HAMTA.TRANSFER_NOT_ALLOWED', 'the device can no longer be transferred (owner changed, stolen or blocked)');
    }
  }
}
export class TransferPendingError extends ConflictError {
  constructor() {
    super('HAMTA.TRANSFER_PENDING', 'a transfer of this device is already waiting for acceptance', 'Cancel it first to start another.');
  }
}
export class TransferNotFoundError extends NotFoundError {
  constructor(transferId: string) {
    super('HAMTA.TRANSFER_NOT_FOUND', `transfer ${transferId} is not one of yours`);
  }
}
export class TransferClosedError extends ConflictError {
  constructor(status: string) {
    super('HAMTA.TRANSFER_CLOSED', `this transfer is already ${status}`);
  }
}
export class TransferNotReceiverError extends RuleViolationError {
  constructor() {
    super('HAMTA.TRANSFER_NOT_RECEIVER', 'only the receiver can accept a transfer');
  }
}
