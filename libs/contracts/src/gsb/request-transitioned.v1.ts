import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { REQ_AGENCY_ID, REQ_DATE_TIME, REQ_ENVIRONMENT, REQ_KIND, REQ_STATE, REQ_UUID, nullable, requestObjectSchema } from './request-schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const GSB_REQUEST_TRANSITIONED_V1 = 'ir.darvazeh.gsb.request.transitioned.v1';

/**
 * A GSB/PGSB request (service or connection request) moved in its process: created as a draft
 * (`fromState` null), sent to the expert, claimed, returned for correction, approved, rejected,
 * withdrawn… One event per history entry. Subject: requestId. Consumers keep the highest
 * `version` per requestId; the applicant's notice (Karpoosheh) is derived from it.
 */
export interface GsbRequestTransitionedV1 {
  requestId: string;
  kind: 'SERVICE' | 'CONNECTION';
  /** The applicant agency (identity's agency_id). */
  agencyId: string;
  serviceCode: string | null;
  /** Service request: its environment; connection request: null (see `environments`). */
  environment: 'GSB' | 'PGSB' | null;
  environments: ('GSB' | 'PGSB')[];
  action: 'create' | 'submit' | 'withdraw' | 'claim' | 'release' | 'return' | 'reject' | 'approve';
  fromState: string | null;
  toState: string;
  /** Token subject of who took the step. */
  actor: string;
  actorRole: 'agency' | 'expert' | 'admin' | 'system';
  comment: string | null;
  /** For `return`: what the applicant must fix. */
  fixes: { field: string; message: string }[] | null;
  /** The request's version after this step (1 for the draft). */
  version: number;
  at: string;
}

export const GsbRequestTransitionedV1Contract = defineEvent<GsbRequestTransitionedV1>({
  type: GSB_REQUEST_TRANSITIONED_V1,
  topic: TOPICS.gsbRequests,
  description: 'A GSB/PGSB service or connection request took a step of its process (one event per history entry).',
  schema: requestObjectSchema(
    'GsbRequestTransitionedV1',
    {
      requestId: REQ_UUID,
      kind: REQ_KIND,
      agencyId: REQ_AGENCY_ID,
      serviceCode: nullable({ type: 'string', minLength: 1, maxLength: 100 }),
      environment: nullable(REQ_ENVIRONMENT),
      environments: { type: 'array', maxItems: 2, items: REQ_ENVIRONMENT },
      action: { type: 'string', enum: ['create', 'submit', 'withdraw', 'claim', 'release', 'return', 'reject', 'approve'] },
      fromState: nullable(REQ_STATE),
      toState: REQ_STATE,
      actor: { type: 'string', minLength: 1, maxLength: 200 },
      actorRole: { type: 'string', enum: ['agency', 'expert', 'admin', 'system'] },
      comment: nullable({ type: 'string', maxLength: 4000 }),
      fixes: nullable({
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['field', 'message'],
          properties: { field: { type: 'string', minLength: 1, maxLength: 200 }, message: { type: 'string', minLength: 1, maxLength: 1000 } },
        },
      }),
      version: { type: 'integer', minimum: 1 },
      at: REQ_DATE_TIME,
    },
    ['requestId', 'kind', 'agencyId', 'serviceCode', 'environment', 'environments', 'action', 'fromState', 'toState', 'actor', 'actorRole', 'comment', 'fixes', 'version', 'at'],
  ),
});
