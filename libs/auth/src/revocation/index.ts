export * from './principal-denylist.js';
export * from './principal-revocation.migrations.js';
export * from './principal-revocation.store.js';
export * from './principal-revocation.refresher.js';
export * from './principal-revocation.consumer.js';
export * from './principal-revocation.module.js';
