import { rateLimitMigrations } from '@darvazeh/http';
import { principalRevocationMigrations } from '@darvazeh/auth';
import { messagingMigrations } from '@darvazeh/messaging';
import { IdentitySchema1767225600000 } from './1767225600000-identity-schema.js';
import { CaIssuers1767225700000 } from './1767225700000-ca-issuers.js';
import { CitizenStatus1767225800000 } from './1767225800000-citizen-status.js';
import { CitizenSafeguards1767225900000 } from './1767225900000-citizen-safeguards.js';

/** Platform tables (outbox, processed_events, principal_revocations, rate_limits) first, then identity's own. */
export const IDENTITY_MIGRATIONS = [
  ...messagingMigrations,
  ...principalRevocationMigrations,
  rateLimitMigrations,
  IdentitySchema1767225600000,
  CaIssuers1767225700000,
  CitizenStatus1767225800000,
  CitizenSafeguards1767225900000,
];
