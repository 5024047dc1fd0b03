import { rateLimitMigrations } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { IdentitySchema1767225600000 } from './1767225600000-identity-schema.js';
import { CaIssuers1767225700000 } from './1767225700000-ca-issuers.js';

/** Platform tables (outbox, processed_events, rate_limits) first, then identity's own. */
export const IDENTITY_MIGRATIONS = [...messagingMigrations, rateLimitMigrations, IdentitySchema1767225600000, CaIssuers1767225700000];
