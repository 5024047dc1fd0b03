export * from './recipient-transition.v1.js';
export * from './batch-events.v1.js';
export * from './sender-access.v1.js';
export * from './mandate.v1.js';
