import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_TRANSFERRED_V1 = 'ir.darvazeh.hamta.device.transferred.v1';

/** The receiver accepted a transfer: the device now belongs to ownerNationalCode. Subject: deviceId. */
export interface DeviceTransferredV1 {
  deviceId: string;
  transferId: string;
  fromNationalCode: string;
  /** The new owner. */
  ownerNationalCode: string;
  imeis: string[];
  transferredAt: string;
}

export const DeviceTransferredV1Contract = defineEvent<DeviceTransferredV1>({
  type: DEVICE_TRANSFERRED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'The receiver accepted a transfer: the device now belongs to ownerNationalCode.',
  schema: objectSchema('DeviceTransferredV1', { deviceId: UUID, transferId: UUID, fromNationalCode: NATIONAL_CODE, ownerNationalCode: NATIONAL_CODE, imeis: IMEIS, transferredAt: DATE_TIME }, ['deviceId', 'transferId', 'fromNationalCode', 'ownerNationalCode', 'imeis', 'transferredAt']),
});
