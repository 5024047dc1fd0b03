import type { DeviceState, TransferState } from '../domain/device.js';

export interface DeviceView {
  deviceId: string;
  ownerNationalCode: string;
  imeis: string[];
  /** The SIM named at registration, shown to the registrant only (null after a transfer). */
  msisdn: string | null;
  status: 'active' | 'stolen' | 'blocked';
  blockReason: string | null;
  registeredAt: Date;
}

export function toDeviceView(d: DeviceState): DeviceView {
  return {
    deviceId: d.id,
    ownerNationalCode: d.ownerNationalCode,
    imeis: d.imeis,
    msisdn: d.msisdn,
    status: d.blocked ? 'blocked' : d.stolen ? 'stolen' : 'active',
    blockReason: d.blockReason,
    registeredAt: d.registeredAt,
  };
}

export interface TransferView {
  transferId: string;
  deviceId: string;
  fromNationalCode: string;
  toNationalCode: string;
  status: TransferState['status'];
  imeis: string[];
  createdAt: Date;
  decidedAt: Date | null;
}

export const toTransferView = (t: TransferState): TransferView => ({
  transferId: t.id,
  deviceId: t.deviceId,
  fromNationalCode: t.fromNationalCode,
  toNationalCode: t.toNationalCode,
  status: t.status,
  imeis: t.imeis,
  createdAt: t.createdAt,
  decidedAt: t.decidedAt,
});
