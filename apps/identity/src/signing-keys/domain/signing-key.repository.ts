import type { SigningKey } from './signing-key.js';

/** Port. Implementations join the ambient transaction of the calling use case. */
export abstract class SigningKeyRepository {
  abstract findActive(): Promise<SigningKey | null>;
  /** Keys that are not retired (active and retiring), newest first. */
  abstract findUnretired(): Promise<SigningKey[]>;
  abstract insert(key: SigningKey): Promise<void>;
  abstract update(key: SigningKey): Promise<void>;
  /**
   * Serialises key rotation across replicas (a transaction-scoped advisory lock), so two
   * instances rotating at once do not both create an active key.
   */
  abstract lockForRotation(): Promise<void>;
}
