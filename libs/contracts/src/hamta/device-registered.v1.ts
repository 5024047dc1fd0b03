import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, IMEIS, MSISDN, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_REGISTERED_V1 = 'ir.darvazeh.hamta.device.registered.v1';

/** A pre-scheme device was registered to its owner (registration approved). Subject: deviceId. */
export interface DeviceRegisteredV1 {
  deviceId: string;
  registrationId: string;
  ownerNationalCode: string;
  imeis: string[];
  msisdn: string;
  registeredAt: string;
}

export const DeviceRegisteredV1Contract = defineEvent<DeviceRegisteredV1>({
  type: DEVICE_REGISTERED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'A device was registered to its owner (approved registration).',
  schema: objectSchema(
    'DeviceRegisteredV1',
    { deviceId: UUID, registrationId: UUID, ownerNationalCode: NATIONAL_CODE, imeis: IMEIS, msisdn: MSISDN, registeredAt: DATE_TIME },
    ['deviceId', 'registrationId', 'ownerNationalCode', 'imeis', 'msisdn', 'registeredAt'],
  ),
});
