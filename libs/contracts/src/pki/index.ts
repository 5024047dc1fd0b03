export * from './common.js';
export * from './certificate-issued.v1.js';
export * from './certificate-revoked.v1.js';
export * from './certificate-held.v1.js';
export * from './certificate-released.v1.js';
export * from './crl-published.v1.js';
