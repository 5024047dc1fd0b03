/**
 * Port of which agency uploaded which file: only an uploader may attach a file to its notices.
 * Implementations join the ambient transaction.
 */
export abstract class AttachmentUploads {
  abstract record(agencyId: string, sha256: string): Promise<void>;
  /** Size of each of `sha256s` this agency uploaded (files it did not upload are absent). */
  abstract sizesUploadedBy(agencyId: string, sha256s: readonly string[]): Promise<Map<string, number>>;
}
