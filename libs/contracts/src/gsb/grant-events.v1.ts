import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { grantStateSchema, GsbGrantStateV1 } from './grant-state.v1.js';

// wire format: never rename. A breaking change is a new `.v2` type. Key = grantId.
export const GSB_GRANT_ISSUED_V1 = 'ir.darvazeh.gsb.grant.issued.v1';
export const GSB_GRANT_SUSPENDED_V1 = 'ir.darvazeh.gsb.grant.suspended.v1';
export const GSB_GRANT_REINSTATED_V1 = 'ir.darvazeh.gsb.grant.reinstated.v1';
export const GSB_GRANT_REVOKED_V1 = 'ir.darvazeh.gsb.grant.revoked.v1';

/** A grant was issued (an approved service request, or an admin): status ACTIVE. */
export class GsbGrantIssuedV1 extends GsbGrantStateV1 {}
/** A grant was suspended by an admin or the provider: calls stop until it is reinstated. */
export class GsbGrantSuspendedV1 extends GsbGrantStateV1 {}
/** A suspended grant is active again. */
export class GsbGrantReinstatedV1 extends GsbGrantStateV1 {}
/** A grant was revoked for good: calls stop; a new request is needed. */
export class GsbGrantRevokedV1 extends GsbGrantStateV1 {}

export const GsbGrantIssuedV1Contract = defineEvent<GsbGrantIssuedV1>({
  type: GSB_GRANT_ISSUED_V1,
  topic: TOPICS.gsbGrants,
  description: 'An access grant was issued: the consumer agency may call the service on that exchange (whole grant state).',
  schema: grantStateSchema('GsbGrantIssuedV1'),
});

export const GsbGrantSuspendedV1Contract = defineEvent<GsbGrantSuspendedV1>({
  type: GSB_GRANT_SUSPENDED_V1,
  topic: TOPICS.gsbGrants,
  description: 'An access grant was suspended: calls under it are refused until reinstated (whole grant state).',
  schema: grantStateSchema('GsbGrantSuspendedV1'),
});

export const GsbGrantReinstatedV1Contract = defineEvent<GsbGrantReinstatedV1>({
  type: GSB_GRANT_REINSTATED_V1,
  topic: TOPICS.gsbGrants,
  description: 'A suspended access grant is active again (whole grant state).',
  schema: grantStateSchema('GsbGrantReinstatedV1'),
});

export const GsbGrantRevokedV1Contract = defineEvent<GsbGrantRevokedV1>({
  type: GSB_GRANT_REVOKED_V1,
  topic: TOPICS.gsbGrants,
  description: 'An access grant was revoked for good (whole grant state).',
  schema: grantStateSchema('GsbGrantRevokedV1'),
});
