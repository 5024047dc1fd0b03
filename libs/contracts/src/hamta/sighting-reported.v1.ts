import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { OPERATOR_CODE, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const SIGHTING_REPORTED_V1 = 'ir.darvazeh.hamta.sighting.reported.v1';

/**
 * An operator saw an IMEI on its network with a SIM (IMSI, MSISDN) on a day. Published by
 * operators on `hamta.sightings`, key = IMEI. Redelivery and reordering are harmless: Hamta keeps
 * first/last seen with LEAST/GREATEST. IMEI may be 14, 15 (checked) or 16 (IMEISV) digits; MSISDN
 * in any common Iranian form.
 */
export interface SightingReportedV1 {
  operatorCode: string;
  date: string;
  imei: string;
  imsi: string;
  msisdn: string;
  rat?: string;
}

export const SightingReportedV1Contract = defineEvent<SightingReportedV1>({
  type: SIGHTING_REPORTED_V1,
  topic: TOPICS.hamtaSightings,
  description: 'An operator saw an IMEI with a SIM on its network on a day.',
  schema: objectSchema(
    'SightingReportedV1',
    {
      operatorCode: OPERATOR_CODE,
      date: { type: 'string', format: 'date' },
      imei: { type: 'string', pattern: '^[0-9]{14,16}$' },
      imsi: { type: 'string', pattern: '^[0-9]{15}$' },
      msisdn: { type: 'string', pattern: '^\\+?[0-9]{10,14}$' },
      rat: { type: 'string', maxLength: 8 },
    },
    ['operatorCode', 'date', 'imei', 'imsi', 'msisdn'],
  ),
});
