// The platform's identifier rules (libs/core), in one import for this app's domain.
export { GSB_ENVIRONMENTS, isGsbEnvironment, isServiceCode, parseMsisdn, toAsciiDigits, type GsbEnvironment, type Role } from '@darvazeh/core';
