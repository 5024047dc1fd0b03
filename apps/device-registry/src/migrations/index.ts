import { HamtaSchema1760000000000 } from './1760000000000-hamta-schema.js';
import { SightingsRecentDays1760000001000 } from './1760000001000-sightings-recent-days.js';
import { OperatorFileLog1760000002000 } from './1760000002000-operator-file-log.js';
import { DeviceMsisdnPerOwner1760000003000 } from './1760000003000-device-msisdn-per-owner.js';

/** Hamta's own migrations, in order (the platform's messaging tables are added by the module). */
export const HAMTA_MIGRATIONS = [HamtaSchema1760000000000, SightingsRecentDays1760000001000, OperatorFileLog1760000002000, DeviceMsisdnPerOwner1760000003000];
