import type { Readable } from 'node:stream';

/** One file being written while it is uploaded; nothing is visible under any SHA-256 until `commit`. */
export interface AttachmentWrite {
  write(chunk: Buffer): Promise<void>;
  /** Files the written bytes under `sha256` unless already stored (then drops them); true when new. */
  commit(sha256: string, mime: string, size: number): Promise<boolean>;
  /** Drops whatever was written (a refused file). Safe to call more than once. */
  abort(): Promise<void>;
}

export interface StoredContent {
  mime: string;
  size: number;
  /** The bytes, streamed from the store (never read whole into memory). */
  body: Readable;
}

/**
 * Where attachment bytes live, addressed by their SHA-256 (the same file sent to a million
 * people is stored once). Written as the upload streams (begin → write* → commit | abort), read
 * as a stream. PostgreSQL (large objects) by default; S3-compatible in production.
 */
export abstract class AttachmentStore {
  /** Starts writing one file; must be called inside the upload transaction. */
  abstract begin(): Promise<AttachmentWrite>;
  abstract open(sha256: string): Promise<StoredContent | null>;
  abstract exists(sha256: string): Promise<boolean>;
}
