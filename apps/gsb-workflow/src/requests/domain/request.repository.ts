import type { HistoryEntry, RequestRecord } from './request.js';

export interface QueueFilter {
  states: string[];
  priority?: string;
  environment?: string;
  providerAgencyId?: string;
  agencyId?: string;
  kind?: string;
  /** Only requests submitted at or before this instant (age filter). */
  submittedBefore?: Date;
  escalated?: boolean;
  after?: { s: string; i: string };
  limit: number;
}

export interface StoredLetterFile {
  contentType: string;
  size: number;
  sha256: string;
  fileName: string | null;
  bytes: Buffer;
}

/**
 * Port of requests, their letter files and their history. The abstract class is also the Nest
 * injection token; implementations join the calling use case's ambient transaction.
 */
export abstract class RequestRepository {
  /** Stores a new request with its first history entry (one statement). */
  abstract insertWithHistory(r: RequestRecord, h: HistoryEntry): Promise<void>;
  /** Writes every column of the record. */
  abstract save(r: RequestRecord): Promise<void>;
  /**
   * Writes every column of the record and appends its history entry — and, with `letterFile`,
   * stores that file (uploaded at `h.at`) — in one statement.
   */
  abstract saveWithHistory(r: RequestRecord, h: HistoryEntry, letterFile?: StoredLetterFile): Promise<void>;
  /** `forUpdate` locks the request until the transaction ends. */
  abstract get(id: string, forUpdate?: boolean): Promise<RequestRecord | null>;
  /** Oldest first. */
  abstract history(requestId: string): Promise<HistoryEntry[]>;
  /** Newest first by id (UUIDv7: time-ordered); agencyId null: every agency's. Fetches limit + 1. */
  abstract listForAgency(agencyId: string | null, filter: { state?: string; kind?: string; afterId?: string; limit: number }): Promise<RequestRecord[]>;
  /** The experts' queue: oldest submission first (first come, first served). Fetches limit + 1. */
  abstract queue(f: QueueFilter): Promise<RequestRecord[]>;
  /** Requests on an SLA clock whose due time has passed and that were not escalated for it (locked, skipping busy rows). */
  abstract overdue(now: Date, limit: number): Promise<RequestRecord[]>;
  abstract letterFile(requestId: string): Promise<StoredLetterFile | null>;
}
