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
  abstract insert(r: RequestRecord): Promise<void>;
  /** Writes every column of the record. */
  abstract save(r: RequestRecord): Promise<void>;
  /** `forUpdate` locks the request until the transaction ends. */
  abstract get(id: string, forUpdate?: boolean): Promise<RequestRecord | null>;
  abstract appendHistory(requestId: string, h: HistoryEntry): Promise<void>;
  /** Oldest first. */
  abstract history(requestId: string): Promise<HistoryEntry[]>;
  /** Another open request of the agency for the same thing (service + environment, or any connection). */
  abstract openSame(r: RequestRecord): Promise<string | null>;
  /** Newest first by id (UUIDv7: time-ordered); agencyId null: every agency's. Fetches limit + 1. */
  abstract listForAgency(agencyId: string | null, filter: { state?: string; kind?: string; afterId?: string; limit: number }): Promise<RequestRecord[]>;
  /** The experts' queue: oldest submission first (first come, first served). Fetches limit + 1. */
  abstract queue(f: QueueFilter): Promise<RequestRecord[]>;
  /** Requests on an SLA clock whose due time has passed and that were not escalated for it (locked, skipping busy rows). */
  abstract overdue(now: Date, limit: number): Promise<RequestRecord[]>;
  abstract putLetterFile(requestId: string, f: StoredLetterFile, at: Date): Promise<void>;
  abstract letterFile(requestId: string): Promise<StoredLetterFile | null>;
}
