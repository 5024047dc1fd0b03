import type { SenderAccessStatus } from './sender-access.js';

export interface SenderRow {
  agency_id: string;
  status: SenderAccessStatus;
  reason: string | null;
  callback_url: string | null;
  callback_secret: string | null;
  requested_at: Date;
  updated_at: Date;
}

/** Port of senders (agencies' access to send). Implementations join the ambient transaction. */
export abstract class SenderRepository {
  abstract find(agencyId: string, lock?: boolean): Promise<SenderRow | null>;
  /** Serialises changes to one agency's access (also its first request, before a row exists) until the transaction ends. */
  abstract serialise(agencyId: string): Promise<void>;
  /**
   * Locks the sender for the send's duration: a suspension committed meanwhile waits for it,
   * and the next send sees it. An agency identity disabled (agency.disabled) counts as suspended.
   */
  abstract statusForSend(agencyId: string): Promise<SenderAccessStatus | null>;
  /** statusForSend plus the callback URL (a send needs both; one round trip). */
  abstract forSend(agencyId: string): Promise<{ status: SenderAccessStatus | null; callbackUrl: string | null }>;
  abstract insert(agencyId: string, at: Date): Promise<void>;
  abstract setStatus(agencyId: string, status: SenderAccessStatus, reason: string | null, at: Date): Promise<void>;
  abstract setCallback(agencyId: string, url: string | null, secret: string | null, at: Date): Promise<void>;
  abstract list(status: SenderAccessStatus | undefined, limit: number, after: string | undefined): Promise<SenderRow[]>;
}
