import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_UNBLOCKED_V1 = 'ir.darvazeh.hamta.device.unblocked.v1';

/** An admin lifted a block on the device, with a reason. Subject: deviceId. */
export interface DeviceUnblockedV1 {
  deviceId: string;
  imeis: string[];
  reason: string;
  unblockedBy: string;
  unblockedAt: string;
}

export const DeviceUnblockedV1Contract = defineEvent<DeviceUnblockedV1>({
  type: DEVICE_UNBLOCKED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'An admin lifted a block on the device, with a reason.',
  schema: objectSchema('DeviceUnblockedV1', { deviceId: UUID, imeis: IMEIS, reason: { type: 'string', minLength: 1, maxLength: 500 }, unblockedBy: { type: 'string', minLength: 1 }, unblockedAt: DATE_TIME }, ['deviceId', 'imeis', 'reason', 'unblockedBy', 'unblockedAt']),
});
