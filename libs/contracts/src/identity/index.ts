export * from './agency-registered.v1.js';
export * from './agency-disabled.v1.js';
export * from './citizen-registered.v1.js';
export * from './principal-status.v1.js';
