// gsb.requests contracts (owned by gsb-workflow).
export * from './request-transitioned.v1.js';
export * from './request-edited.v1.js';
export * from './request-escalated.v1.js';
export * from './connection-activated.v1.js';
