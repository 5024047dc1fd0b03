import type { ChainPoint } from './exchange-log.repository.js';

export interface SignedHead extends ChainPoint {
  signedAt: Date;
}

/**
 * Port of the evidence published about the exchange log: signed chain heads and the claims on
 * closed hours already summarised. Each claim is a row, so several replicas publish each piece of
 * evidence at most once. Implementations join the calling code's ambient transaction.
 */
export abstract class ExchangeEvidenceRepository {
  abstract lastSignedHead(): Promise<SignedHead | null>;
  /** True when this head was not signed before (the caller then publishes it). */
  abstract claimSignedHead(head: ChainPoint, jws: string, signedAt: Date): Promise<boolean>;
  /** The first hour with rows and no summary yet (null before the first row). */
  abstract firstUnsummarizedHour(): Promise<Date | null>;
  /** True when this hour had no summary before. */
  abstract claimUsageHour(hourStart: Date): Promise<boolean>;
}
