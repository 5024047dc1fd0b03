import { rateLimitMigrations } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { KarpooshehSchema1770000000000 } from './1770000000000-karpoosheh-schema.js';

/** Platform tables (outbox, processed_events, rate_limits) first, then Karpoosheh's own. */
export const KARPOOSHEH_MIGRATIONS = [...messagingMigrations, rateLimitMigrations, KarpooshehSchema1770000000000];
