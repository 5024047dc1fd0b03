import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_REPORTED_STOLEN_V1 = 'ir.darvazeh.hamta.device.reported-stolen.v1';

/** The owner reported the device lost or stolen: operators must refuse it (black list). Subject: deviceId. */
export interface DeviceReportedStolenV1 {
  deviceId: string;
  ownerNationalCode: string;
  imeis: string[];
  reportedAt: string;
}

export const DeviceReportedStolenV1Contract = defineEvent<DeviceReportedStolenV1>({
  type: DEVICE_REPORTED_STOLEN_V1,
  topic: TOPICS.hamtaDevices,
  description: 'The owner reported the device lost or stolen: operators must refuse it (black list).',
  schema: objectSchema('DeviceReportedStolenV1', { deviceId: UUID, ownerNationalCode: NATIONAL_CODE, imeis: IMEIS, reportedAt: DATE_TIME }, ['deviceId', 'ownerNationalCode', 'imeis', 'reportedAt']),
});
