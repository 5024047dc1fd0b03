import type { ExchangeRecord } from './exchange-chain.js';

export type StoredExchange = ExchangeRecord & { prevHash: string; hash: string };

export interface ExchangeFilter {
  /** Visibility: the rows of calls this agency made or served; undefined = all (admin). */
  agencyId?: string;
  consumerAgencyId?: string;
  providerAgencyId?: string;
  serviceCode?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
  afterSeq?: number;
}

export interface UsageRow {
  consumerAgencyId: string | null;
  providerAgencyId: string | null;
  serviceCode: string;
  environment: string;
  calls: number;
  allowed: number;
  denied: number;
  failed: number;
  requestBytes: number;
  responseBytes: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ChainPoint {
  seq: number;
  hash: string;
}

/** The last row a verification found sound: later verifications start after it. */
export interface VerifiedCheckpoint extends ChainPoint {
  verifiedAt: Date;
}

/**
 * Port of the exchange log (append-only, hash-chained rows) and its verification checkpoint. The
 * abstract class is also the Nest injection token; implementations join the calling code's
 * ambient transaction.
 */
export abstract class ExchangeLogRepository {
  /** Locks the chain until the transaction ends (one chain across replicas) and returns its head. */
  abstract lockHead(): Promise<ChainPoint | null>;
  abstract head(): Promise<ChainPoint | null>;
  abstract insert(rows: readonly StoredExchange[]): Promise<void>;
  /** Rows in seq order from `fromSeq`, for verification. */
  abstract range(fromSeq: number, limit: number): Promise<StoredExchange[]>;
  /** The stored hash of one row (null when the row is missing). */
  abstract hashAt(seq: number): Promise<string | null>;
  /** Newest first, `limit` rows after the cursor. */
  abstract list(filter: ExchangeFilter, limit: number): Promise<StoredExchange[]>;
  abstract usage(filter: ExchangeFilter): Promise<UsageRow[]>;
  abstract checkpoint(): Promise<VerifiedCheckpoint | null>;
  /** Moves the checkpoint forward to `point` (never back: a concurrent verifier may be further). */
  abstract advanceCheckpoint(point: ChainPoint, at: Date): Promise<void>;
  /** Forgets the checkpoint: a full verification found the chain broken before it. */
  abstract clearCheckpoint(): Promise<void>;
}
