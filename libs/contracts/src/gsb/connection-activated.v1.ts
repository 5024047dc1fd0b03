import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { REQ_AGENCY_ID, REQ_DATE_TIME, REQ_ENVIRONMENT, REQ_UUID, requestObjectSchema } from './request-schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const GSB_CONNECTION_ACTIVATED_V1 = 'ir.darvazeh.gsb.connection.activated.v1';

/**
 * An expert approved an agency's connection request: the agency is connected to this
 * environment (steps 4–5 pass from now on) from these source ranges. One event per environment.
 * Subject: `<agencyId>/<environment>`.
 */
export interface GsbConnectionActivatedV1 {
  agencyId: string;
  environment: 'GSB' | 'PGSB';
  requestId: string;
  ipRanges: string[];
  credentialType: 'MTLS_CERTIFICATE' | 'CLIENT_CREDENTIALS';
  /** SHA-256 of the client certificate (MTLS_CERTIFICATE) or the client_id (CLIENT_CREDENTIALS). */
  credentialRef: string;
  activatedAt: string;
}

export const GsbConnectionActivatedV1Contract = defineEvent<GsbConnectionActivatedV1>({
  type: GSB_CONNECTION_ACTIVATED_V1,
  topic: TOPICS.gsbRequests,
  description: "An agency's connection to GSB or PGSB was approved (its systems may call from these ranges).",
  schema: requestObjectSchema(
    'GsbConnectionActivatedV1',
    {
      agencyId: REQ_AGENCY_ID,
      environment: REQ_ENVIRONMENT,
      requestId: REQ_UUID,
      ipRanges: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 2, maxLength: 50 } },
      credentialType: { type: 'string', enum: ['MTLS_CERTIFICATE', 'CLIENT_CREDENTIALS'] },
      credentialRef: { type: 'string', minLength: 1, maxLength: 200 },
      activatedAt: REQ_DATE_TIME,
    },
    ['agencyId', 'environment', 'requestId', 'ipRanges', 'credentialType', 'credentialRef', 'activatedAt'],
  ),
});
