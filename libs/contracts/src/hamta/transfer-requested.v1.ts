import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_TRANSFER_REQUESTED_V1 = 'ir.darvazeh.hamta.device.transfer-requested.v1';

/** The owner started transferring a device to another national code; the receiver must accept. Subject: deviceId. */
export interface DeviceTransferRequestedV1 {
  deviceId: string;
  transferId: string;
  fromNationalCode: string;
  toNationalCode: string;
  imeis: string[];
  requestedAt: string;
}

export const DeviceTransferRequestedV1Contract = defineEvent<DeviceTransferRequestedV1>({
  type: DEVICE_TRANSFER_REQUESTED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'The owner started transferring a device to another national code; the receiver must accept.',
  schema: objectSchema('DeviceTransferRequestedV1', { deviceId: UUID, transferId: UUID, fromNationalCode: NATIONAL_CODE, toNationalCode: NATIONAL_CODE, imeis: IMEIS, requestedAt: DATE_TIME }, ['deviceId', 'transferId', 'fromNationalCode', 'toNationalCode', 'imeis', 'requestedAt']),
});
