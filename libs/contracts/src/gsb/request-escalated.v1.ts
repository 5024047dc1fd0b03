import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { REQ_AGENCY_ID, REQ_DATE_TIME, REQ_ENVIRONMENT, REQ_KIND, REQ_STATE, REQ_UUID, nullable, requestObjectSchema } from './request-schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const GSB_REQUEST_ESCALATED_V1 = 'ir.darvazeh.gsb.request.escalated.v1';

/**
 * A submitted request broke a review SLA: not claimed within the working hours allowed
 * (`CLAIM`) or not decided within the days allowed (`DECISION`). Sent once per SLA. Subject: requestId.
 */
export interface GsbRequestEscalatedV1 {
  requestId: string;
  kind: 'SERVICE' | 'CONNECTION';
  agencyId: string;
  serviceCode: string | null;
  environment: 'GSB' | 'PGSB' | null;
  sla: 'CLAIM' | 'DECISION';
  state: string;
  claimedBy: string | null;
  dueAt: string;
  escalatedAt: string;
}

export const GsbRequestEscalatedV1Contract = defineEvent<GsbRequestEscalatedV1>({
  type: GSB_REQUEST_ESCALATED_V1,
  topic: TOPICS.gsbRequests,
  description: 'A submitted GSB/PGSB request was not claimed (CLAIM) or not decided (DECISION) in time.',
  schema: requestObjectSchema(
    'GsbRequestEscalatedV1',
    {
      requestId: REQ_UUID,
      kind: REQ_KIND,
      agencyId: REQ_AGENCY_ID,
      serviceCode: nullable({ type: 'string', minLength: 1, maxLength: 100 }),
      environment: nullable(REQ_ENVIRONMENT),
      sla: { type: 'string', enum: ['CLAIM', 'DECISION'] },
      state: REQ_STATE,
      claimedBy: nullable({ type: 'string', minLength: 1, maxLength: 200 }),
      dueAt: REQ_DATE_TIME,
      escalatedAt: REQ_DATE_TIME,
    },
    ['requestId', 'kind', 'agencyId', 'serviceCode', 'environment', 'sla', 'state', 'claimedBy', 'dueAt', 'escalatedAt'],
  ),
});
