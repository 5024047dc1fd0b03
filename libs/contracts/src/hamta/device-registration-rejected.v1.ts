import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const DEVICE_REGISTRATION_REJECTED_V1 = 'ir.darvazeh.hamta.device.registration-rejected.v1';

/**
 * A registration request was rejected; `reasons[].code` are Hamta's stable reason codes
 * (HAMTA.NOT_SEEN_BEFORE_CUTOFF, …). IMEIs and MSISDN are as the citizen typed them (they may be
 * malformed, which can be the reason). Subject: registrationId.
 */
export interface DeviceRegistrationRejectedV1 {
  registrationId: string;
  ownerNationalCode: string;
  imeis: string[];
  msisdn: string;
  reasons: { code: string; message: string }[];
  decidedAt: string;
}

export const DeviceRegistrationRejectedV1Contract = defineEvent<DeviceRegistrationRejectedV1>({
  type: DEVICE_REGISTRATION_REJECTED_V1,
  topic: TOPICS.hamtaDevices,
  description: 'A device registration request was rejected, with reason codes.',
  schema: objectSchema(
    'DeviceRegistrationRejectedV1',
    {
      registrationId: UUID,
      ownerNationalCode: NATIONAL_CODE,
      imeis: { type: 'array', minItems: 1, maxItems: 4, items: { type: 'string', maxLength: 64 } },
      msisdn: { type: 'string', maxLength: 32 },
      reasons: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'message'],
          properties: { code: { type: 'string', pattern: '^HAMTA\\.[A-Z_]+$' }, message: { type: 'string' } },
        },
      },
      decidedAt: DATE_TIME,
    },
    ['registrationId', 'ownerNationalCode', 'imeis', 'msisdn', 'reasons', 'decidedAt'],
  ),
});
