import type { Readable } from 'node:stream';
import type { CheckResult, FileThresholds } from './sighting-file.js';

/** A failing row shown in the report (a few per check). */
export interface SampleRow {
  line: number;
  check: string;
  date: string | null;
  imei: string | null;
  imsi: string | null;
  msisdn: string | null;
}

export interface SightingFileRequest {
  operatorCode: string;
  /** PLMN ids (MCC+MNC) of this operator's IMSIs. */
  operatorPlmns: string[];
  fromDay: number;
  toDay: number;
  today: number;
  body: Readable;
  /** Upload (compressed) bytes allowed. */
  maxBytes: number;
  /** Decompressed bytes allowed (default 8 × maxBytes). */
  maxDecompressedBytes?: number;
  /** Largest gzip inflate ratio (default 100). */
  maxGzipRatio?: number;
  thresholds: FileThresholds;
}

export interface SightingFileReport {
  fileId: string | null;
  sha256: string;
  outcome: 'merged' | 'rejected' | 'duplicate';
  rowsTotal: number;
  rowsMerged: number;
  rowsSkipped: number;
  keysMerged: number;
  checks: CheckResult[];
  samples: SampleRow[];
  structureSamples: { line: number; message: string }[];
  /** Milliseconds per phase (read = gunzip + parse + validate + fold; copy = aggregated keys into staging; merge). */
  timings: Record<string, number>;
}

export interface SightingFileResult {
  report: SightingFileReport;
  /** (IMEI core, earliest day) pairs of the merged rows, for the EIR index (after commit). */
  seen?: { imeis: Float64Array; days: Int32Array; length: number };
}

/** A sightings file read and judged (every row checked and folded), nothing written yet. */
export interface JudgedSightingFile {
  readonly operatorCode: string;
  readonly report: SightingFileReport;
}

/**
 * Port: judges an operator's sightings file and, when it passes, merges it. Two steps so that the
 * upload is streamed and judged with no transaction open, and the writes join the use case's
 * transaction (its after-commit effects then follow the merge's commit). The abstract class is
 * also the Nest injection token.
 */
export abstract class SightingFileImporter {
  /** Streams the body through every check; no SQL. Throws FileStructureError for an unreadable file. */
  abstract read(req: SightingFileRequest): Promise<JudgedSightingFile>;
  /**
   * Inside the caller's transaction: a duplicate of a merged file changes nothing; a rejected file
   * is logged; an accepted one is merged and logged. `seen` is set only when rows were merged.
   */
  abstract record(file: JudgedSightingFile): Promise<SightingFileResult>;
}
