export * from './service-changed.v1.js';
export * from './grant-state.v1.js';
export * from './grant-events.v1.js';
export * from './requests.js';
