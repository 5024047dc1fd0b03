import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { REQ_AGENCY_ID, REQ_DATE_TIME, REQ_ENVIRONMENT, REQ_KIND, REQ_STATE, REQ_UUID, nullable, requestObjectSchema } from './request-schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const GSB_REQUEST_EDITED_V1 = 'ir.darvazeh.gsb.request.edited.v1';

/**
 * The applicant edited a draft or a request returned for correction (PATCH of its fields, or a
 * new authorization-letter file); its state did not change. Carries which fields changed, never
 * their values (the letter's image least of all). One event per history entry of action `edit`.
 * Subject: requestId. Added next to `request.transitioned.v1` so that contract's consumers are
 * not handed an action they do not know.
 */
export interface GsbRequestEditedV1 {
  requestId: string;
  kind: 'SERVICE' | 'CONNECTION';
  /** The applicant agency (identity's agency_id). */
  agencyId: string;
  serviceCode: string | null;
  /** Service request: its environment; connection request: null (see `environments`). */
  environment: 'GSB' | 'PGSB' | null;
  environments: ('GSB' | 'PGSB')[];
  /** The request's state, unchanged by the edit (DRAFT or RETURNED). */
  state: string;
  /** Paths of the fields that changed, sorted: `serviceCode`, `letter.number`, `contact.email`, `letterFile`… */
  fields: string[];
  /** Token subject of who edited. */
  actor: string;
  actorRole: 'agency' | 'expert' | 'admin' | 'system';
  /** The request's version after this edit. */
  version: number;
  at: string;
}

export const GsbRequestEditedV1Contract = defineEvent<GsbRequestEditedV1>({
  type: GSB_REQUEST_EDITED_V1,
  topic: TOPICS.gsbRequests,
  description: 'The applicant edited a draft or returned GSB/PGSB request (which fields changed, not their values); the state is unchanged.',
  schema: requestObjectSchema(
    'GsbRequestEditedV1',
    {
      requestId: REQ_UUID,
      kind: REQ_KIND,
      agencyId: REQ_AGENCY_ID,
      serviceCode: nullable({ type: 'string', minLength: 1, maxLength: 100 }),
      environment: nullable(REQ_ENVIRONMENT),
      environments: { type: 'array', maxItems: 2, items: REQ_ENVIRONMENT },
      state: REQ_STATE,
      fields: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 } },
      actor: { type: 'string', minLength: 1, maxLength: 200 },
      actorRole: { type: 'string', enum: ['agency', 'expert', 'admin', 'system'] },
      version: { type: 'integer', minimum: 1 },
      at: REQ_DATE_TIME,
    },
    ['requestId', 'kind', 'agencyId', 'serviceCode', 'environment', 'environments', 'state', 'fields', 'actor', 'actorRole', 'version', 'at'],
  ),
});
