/** A stored chain-head signing key. */
export interface StoredSigningKey {
  kid: string;
  privatePkcs8: string;
  publicJwk: string;
}

/** Port of the gateway's generated signing keys (kept so every replica and restart signs with one key). */
export abstract class SigningKeyRepository {
  /** The oldest key: when replicas race to create one, everyone uses the same. */
  abstract oldestPkcs8(): Promise<string | null>;
  abstract insertIfAbsent(key: StoredSigningKey): Promise<void>;
}
