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

/**
 * Port: judges an operator's sightings file and, when it passes, merges it in one transaction.
 * The abstract class is also the Nest injection token.
 */
export abstract class SightingFileImporter {
  abstract import(req: SightingFileRequest): Promise<SightingFileResult>;
}
