import { isValidNationalCode } from '@darvazeh/core';
import {
  AlreadyBlockedError,
  AlreadyReportedStolenError,
  DeviceNotFoundError,
  NationalCodeInvalidError,
  NotBlockedError,
  NotReportedStolenError,
  TransferClosedError,
  TransferNotAllowedError,
  TransferNotFoundError,
  TransferNotReceiverError,
  TransferPendingError,
  TransferToSelfError,
} from './device.errors.js';

/** A registered device's state as the rules see it. */
export interface DeviceState {
  id: string;
  ownerNationalCode: string;
  /** The SIM named at registration; null once the device changed owner (it was the registrant's). */
  msisdn: string | null;
  stolen: boolean;
  blocked: boolean;
  blockReason: string | null;
  registeredAt: Date;
  imeis: string[];
  /** The IMEIs' 14-digit cores, as stored and indexed. */
  cores: number[];
}

export type TransferStatus = 'pending' | 'accepted' | 'cancelled';

export interface TransferState {
  id: string;
  deviceId: string;
  fromNationalCode: string;
  toNationalCode: string;
  status: TransferStatus;
  createdAt: Date;
  decidedAt: Date | null;
  imeis: string[];
}

/** What a change does to the black list: a device is black while it is stolen or blocked. */
export type BlacklistChange = { change: 'added' | 'removed'; reason: 'REPORTED_STOLEN' | 'RECOVERED' | 'BLOCKED' | 'UNBLOCKED' } | null;

/**
 * The device aggregate: the owner's and the regulator's transitions and their rules. Each
 * transition checks, changes the state in place and says what it did to the black list; the
 * use case persists that.
 */
export class Device {
  private constructor(private s: DeviceState) {}

  static restore(state: DeviceState): Device {
    return new Device({ ...state, imeis: [...state.imeis], cores: [...state.cores] });
  }

  /** The device as its owner may see it: someone else's device answers like a missing one (existence is not disclosed). */
  static ownedBy(state: DeviceState | null, deviceId: string, nationalCode: string): Device {
    if (!state || state.ownerNationalCode !== nationalCode) throw new DeviceNotFoundError(deviceId, 'owned');
    return Device.restore(state);
  }

  /** Any device, for the regulator. */
  static existing(state: DeviceState | null, deviceId: string): Device {
    if (!state) throw new DeviceNotFoundError(deviceId, 'any');
    return Device.restore(state);
  }

  get state(): Readonly<DeviceState> {
    return this.s;
  }

  reportStolen(): BlacklistChange {
    if (this.s.stolen) throw new AlreadyReportedStolenError();
    this.s = { ...this.s, stolen: true };
    return this.s.blocked ? null : { change: 'added', reason: 'REPORTED_STOLEN' };
  }

  recover(): BlacklistChange {
    if (!this.s.stolen) throw new NotReportedStolenError();
    this.s = { ...this.s, stolen: false };
    return this.s.blocked ? null : { change: 'removed', reason: 'RECOVERED' };
  }

  block(reason: string): BlacklistChange {
    if (this.s.blocked) throw new AlreadyBlockedError();
    this.s = { ...this.s, blocked: true, blockReason: reason };
    return this.s.stolen ? null : { change: 'added', reason: 'BLOCKED' };
  }

  unblock(): BlacklistChange {
    if (!this.s.blocked) throw new NotBlockedError();
    this.s = { ...this.s, blocked: false, blockReason: null };
    return this.s.stolen ? null : { change: 'removed', reason: 'UNBLOCKED' };
  }

  /** Checks of the request alone, before any device is loaded. */
  static checkTransferRequest(fromNationalCode: string, toNationalCode: string): void {
    if (!isValidNationalCode(toNationalCode)) throw new NationalCodeInvalidError('toNationalCode', toNationalCode);
    if (toNationalCode === fromNationalCode) throw new TransferToSelfError();
  }

  /** The owner offers the device to `to`; `pending` is the transfer already waiting, if any. */
  startTransfer(input: { id: string; to: string; at: Date; pending: TransferState | null }): TransferState {
    if (this.s.stolen || this.s.blocked) throw new TransferNotAllowedError('start', this.s.stolen);
    if (input.pending) throw new TransferPendingError();
    return {
      id: input.id,
      deviceId: this.s.id,
      fromNationalCode: this.s.ownerNationalCode,
      toNationalCode: input.to,
      status: 'pending',
      createdAt: input.at,
      decidedAt: null,
      imeis: this.s.imeis,
    };
  }

  /** The receiver takes the device; it must still be the sender's, and neither stolen nor blocked. */
  acceptTransfer(t: TransferState): void {
    if (this.s.id !== t.deviceId || this.s.ownerNationalCode !== t.fromNationalCode || this.s.stolen || this.s.blocked) {
      throw new TransferNotAllowedError('accept');
    }
    this.s = { ...this.s, ownerNationalCode: t.toNationalCode };
  }
}

/** A transfer the caller is a party of and that is still open: the start of accept and cancel. */
export function openTransferOf(t: TransferState | null, transferId: string, nationalCode: string): TransferState {
  const party = t && (t.toNationalCode === nationalCode || t.fromNationalCode === nationalCode);
  if (!t || !party) throw new TransferNotFoundError(transferId);
  if (t.status !== 'pending') throw new TransferClosedError(t.status);
  return t;
}

/** Only the receiver accepts; the check runs before the device is loaded. */
export function checkAcceptedByReceiver(t: TransferState, nationalCode: string): void {
  if (t.toNationalCode !== nationalCode) throw new TransferNotReceiverError();
}

/** A device missing at accept time counts as "can no longer be transferred". */
export function deviceForAccept(state: DeviceState | null): Device {
  if (!state) throw new TransferNotAllowedError('accept');
  return Device.restore(state);
}

/** A decided transfer. */
export const decideTransfer = (t: TransferState, status: 'accepted' | 'cancelled', at: Date): TransferState => ({ ...t, status, decidedAt: at });
