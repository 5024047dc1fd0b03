import { GsbSchema1770000000000 } from './1770000000000-gsb-schema.js';

/** gsb-workflow's own migrations, in order (the platform's messaging tables are added by the module). */
export const GSB_MIGRATIONS = [GsbSchema1770000000000];
