import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_BLOCKED_V1 = 'ir.darvazeh.hamta.device.blocked.v1';

/** An admin blocked the device (black list) with a reason. Subject: deviceId. */
export interface DeviceBlockedV1 {
  deviceId: string;
  imeis: string[];
  reason: string;
  /** Subject (sub) of the admin who blocked it. */
  blockedBy: string;
  blockedAt: string;
}

export const DeviceBlockedV1Contract = defineEvent<DeviceBlockedV1>({
  type: DEVICE_BLOCKED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'An admin blocked the device (black list) with a reason.',
  schema: objectSchema('DeviceBlockedV1', { deviceId: UUID, imeis: IMEIS, reason: { type: 'string', minLength: 1, maxLength: 500 }, blockedBy: { type: 'string', minLength: 1 }, blockedAt: DATE_TIME }, ['deviceId', 'imeis', 'reason', 'blockedBy', 'blockedAt']),
});
