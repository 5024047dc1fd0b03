import type { Readable } from 'node:stream';
import type { StructureProblem } from '../../shared/domain/file-structure.error.js';
import type { OwnershipCheckResult } from './ownership-file.js';

export interface OwnershipFileRequest {
  operatorCode: string;
  body: Readable;
  /** Upload (compressed) bytes allowed. */
  maxBytes: number;
  /** Decompressed bytes allowed (default 8 × maxBytes). */
  maxDecompressedBytes?: number;
  /** Largest gzip inflate ratio (default 100). */
  maxGzipRatio?: number;
  /** Share of rows that may fail a row check before the whole file is rejected. */
  maxBadRatio: number;
  now: Date;
}

export interface OwnershipFileReport {
  fileId: string | null;
  sha256: string;
  outcome: 'merged' | 'rejected' | 'duplicate';
  rowsTotal: number;
  rowsMerged: number;
  rowsSkipped: number;
  /** Merged rows that changed the registry (new or different), each published on hamta.subscribers. */
  rowsChanged?: number;
  checks: OwnershipCheckResult[];
  /** Up to five failing rows per failed check. */
  samples: StructureProblem[];
}

/**
 * Port: judges an operator's subscriber-ownership file and merges it or nothing, publishing each
 * changed row through the outbox. The abstract class is also the Nest injection token.
 */
export abstract class OwnershipFileImporter {
  abstract import(req: OwnershipFileRequest): Promise<OwnershipFileReport>;
}
