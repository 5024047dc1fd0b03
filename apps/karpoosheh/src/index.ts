// Entry points other processes use: embedded start (scripts/), benchmarks and tests.
export { KarpooshehModule, KARPOOSHEH_SERVICE, type KarpooshehOverrides } from './karpoosheh.module.js';
export { KarpooshehEnv } from './config/karpoosheh.env.js';
export { KARPOOSHEH_MIGRATIONS } from './migrations/index.js';
