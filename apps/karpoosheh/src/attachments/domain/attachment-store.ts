/**
 * Where attachment bytes live, addressed by their SHA-256 (the same file sent to a million
 * people is stored once). PostgreSQL (bytea) by default; an S3-compatible adapter fits the same port.
 */
export abstract class AttachmentStore {
  /** Stores the bytes unless already present; true when they were new. */
  abstract put(sha256: string, mime: string, bytes: Uint8Array): Promise<boolean>;
  abstract get(sha256: string): Promise<{ mime: string; bytes: Buffer } | null>;
  abstract exists(sha256: string): Promise<boolean>;
}
