export * from './service-catalog.js';
export * from './invalid-config.error.js';
export * from './load-env.js';
export * from './service.env.js';
export * from './config.module.js';
