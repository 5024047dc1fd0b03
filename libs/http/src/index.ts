export * from './problem-details.js';
export * from './problem-details.filter.js';
export * from './validation.js';
export * from './json-body.js';
export * from './cursor-page.js';
export * from './platform.module.js';
export * from './start-service.js';
export * from './rate-limit/shared-rate-limiter.js';
