// Entry points other processes use: embedded start (scripts/) and tests.
export { IdentityModule, IDENTITY_SERVICE, type IdentityOverrides } from './identity.module.js';
export { IdentityEnv } from './config/identity.env.js';
