export * from './test-database.js';
export * from './kafka.js';
export * from './test-issuer.js';
export * from './test-service.js';
export * from './free-port.js';
export * from './json-body.js';
export * from './in-memory-transaction-runner.js';
