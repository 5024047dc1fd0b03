import { ContractCatalog } from './contract-catalog.js';
import { EVENT_CONTRACTS } from './registry.js';
import type { EventContract } from './define-event.js';

export * from './topics.js';
export * from './define-event.js';
export * from './contract-catalog.js';
export { EVENT_CONTRACTS } from './registry.js';

// Per-service contracts (folders owned by each service).
export * from './identity/index.js';
export * from './hamta/index.js';
export * from './pki/index.js';
export * from './gsb/index.js';

/** The catalog of every registered contract (libs/contracts/src/registry.ts). */
export const EVENT_CATALOG = new ContractCatalog(EVENT_CONTRACTS);

/** The registered contract of an event type, or undefined. */
export function contractForType(type: string): EventContract | undefined {
  return EVENT_CATALOG.find(type);
}

/** Validates a payload against the registered contract of its type. */
export function validatePayload(type: string, payload: unknown) {
  return EVENT_CATALOG.validate(type, payload);
}
export * from './hamta/index.js';
export * from './pki/index.js';
