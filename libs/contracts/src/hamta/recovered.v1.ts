import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_RECOVERED_V1 = 'ir.darvazeh.hamta.device.recovered.v1';

/** The owner marked a lost/stolen device recovered (off the black list unless blocked). Subject: deviceId. */
export interface DeviceRecoveredV1 {
  deviceId: string;
  ownerNationalCode: string;
  imeis: string[];
  recoveredAt: string;
}

export const DeviceRecoveredV1Contract = defineEvent<DeviceRecoveredV1>({
  type: DEVICE_RECOVERED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'The owner marked a lost/stolen device recovered (off the black list unless blocked).',
  schema: objectSchema('DeviceRecoveredV1', { deviceId: UUID, ownerNationalCode: NATIONAL_CODE, imeis: IMEIS, recoveredAt: DATE_TIME }, ['deviceId', 'ownerNationalCode', 'imeis', 'recoveredAt']),
});
