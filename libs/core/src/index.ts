export * from './domain-error.js';
export * from './identifiers/index.js';
export * from './async-context.js';
