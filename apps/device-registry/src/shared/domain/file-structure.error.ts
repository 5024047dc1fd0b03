/** The upload's structure is wrong (empty, bad header, too large, bad gzip, a line too long): refused before any row is judged. */
export class FileStructureError extends Error {
  constructor(
    readonly check: 'empty' | 'header' | 'too_large' | 'gzip' | 'line_too_long',
    message: string,
  ) {
    super(message);
  }
}

/** A problem found while reading the file itself (before SQL sees it). */
export interface StructureProblem {
  line: number;
  message: string;
  /** Which check the row failed (`columns` for a wrong field count). */
  check?: string;
}
