export * from './domain-error.js';
export * from './identifiers/index.js';
