/** A signing key as stored (JWK objects, private half included). */
export interface StoredReceiptKey {
  kid: string;
  private_jwk: Record<string, unknown>;
  public_jwk: Record<string, unknown>;
}

/** Port of the receipt signing keys, shared by every replica. */
export abstract class ReceiptKeyRepository {
  /** Oldest first; the last one signs. */
  abstract all(): Promise<StoredReceiptKey[]>;
  /** Adds a key unless one with this kid exists. */
  abstract insert(key: StoredReceiptKey): Promise<void>;
}
