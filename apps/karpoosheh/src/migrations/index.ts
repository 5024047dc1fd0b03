import { principalRevocationMigrations } from '@darvazeh/auth';
import { rateLimitMigrations } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { KarpooshehSchema1770000000000 } from './1770000000000-karpoosheh-schema.js';
import { KarpooshehInboxListingIndex1770000000100 } from './1770000000100-karpoosheh-inbox-listing-index.js';
import { AttachmentsExternalContent1770000000500 } from './1770000000500-attachments-external-content.js';
import { AttachmentsLargeObjects1770000000600 } from './1770000000600-attachments-large-objects.js';

/** Platform tables (outbox, processed_events, rate_limits, principal_revocations) first, then Karpoosheh's own. */
export const KARPOOSHEH_MIGRATIONS = [...messagingMigrations, rateLimitMigrations, ...principalRevocationMigrations, KarpooshehSchema1770000000000, KarpooshehInboxListingIndex1770000000100, AttachmentsExternalContent1770000000500, AttachmentsLargeObjects1770000000600];
