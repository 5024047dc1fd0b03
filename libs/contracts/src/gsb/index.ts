export * from './service-changed.v1.js';
export * from './grant-state.v1.js';
export * from './grant-events.v1.js';
export * from './exchange-log-head-signed.v1.js';
export * from './usage-summarized.v1.js';
export * from './requests.js';
