import type { Connection } from '../../connections/domain/connection.repository.js';
import type { Grant } from '../../grants/domain/grant.js';
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
 * A step's events as outbox rows, rendered by the application layer (OutboxWriter.render) and
 * inserted by the adapter in the step's one statement: `sql(offset, gate)` inserts them for each
 * row the CTE `gate` wrote, with `params` numbered from `offset + 1`.
 */
export interface StepEvents {
  count: number;
  params: unknown[];
  sql(offset: number, gate: string): string;
}

/** Everything one step writes, committed together by `commitStep`. */
export interface StepWrite {
  /** The request as the step leaves it (its version already incremented). */
  request: RequestRecord;
  /** The version the step read it at; null: a new request (inserted). */
  readVersion: number | null;
  history: HistoryEntry;
  /** None: a change that is not published (the evaluation). */
  events?: StepEvents;
  letterFile?: StoredLetterFile;
  /** The final approval of a service request. */
  grant?: Grant;
  /** The final approval of a connection request: created or re-activated. */
  connections?: Connection[];
}

/**
 * Port of requests, their letter files and their history. The abstract class is also the Nest
 * injection token; implementations join the calling use case's ambient transaction.
 */
export abstract class RequestRepository {
  /** Stores a new request with its first history entry (one statement). */
  abstract insertWithHistory(r: RequestRecord, h: HistoryEntry): Promise<void>;
  /**
   * One step's writes as ONE statement, which is its own transaction: the request row — only if
   * it is still at `readVersion` (optimistic concurrency: nobody changed it since the step read
   * it) — its history entry, its events, and the letter file, grant or connections it brings.
   * Returns false, having written nothing, when the request changed meanwhile (the caller reads
   * it again and re-decides). Throws GSB.GRANT_EXISTS when a live grant of the same key was
   * committed meanwhile (the database's grants_live_key).
   */
  abstract commitStep(w: StepWrite): Promise<boolean>;
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
