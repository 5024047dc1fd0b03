import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, OPERATOR_CODE, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const SUBSCRIBER_OWNERSHIP_CHANGED_V1 = 'ir.darvazeh.hamta.subscriber.ownership-changed.v1';

/**
 * Shahkar-like ownership: from `validFrom` (until `validTo`, or until the next change) the MSISDN
 * belongs to `nationalCode` (null: the line was terminated). Published by operators on
 * `hamta.subscribers`, key = MSISDN; order-independent (keyed by msisdn + validFrom).
 */
export interface SubscriberOwnershipChangedV1 {
  operatorCode: string;
  msisdn: string;
  nationalCode: string | null;
  validFrom: string;
  validTo?: string | null;
}

export const SubscriberOwnershipChangedV1Contract = defineEvent<SubscriberOwnershipChangedV1>({
  type: SUBSCRIBER_OWNERSHIP_CHANGED_V1,
  topic: TOPICS.hamtaSubscribers,
  description: 'A mobile number (MSISDN) changed owner (national code), Shahkar-style.',
  schema: objectSchema(
    'SubscriberOwnershipChangedV1',
    {
      operatorCode: OPERATOR_CODE,
      msisdn: { type: 'string', pattern: '^\\+?[0-9]{10,14}$' },
      nationalCode: { type: ['string', 'null'], pattern: '^[0-9]{10}$' },
      validFrom: DATE_TIME,
      validTo: { type: ['string', 'null'], format: 'date-time' },
    },
    ['operatorCode', 'msisdn', 'nationalCode', 'validFrom'],
  ),
});
