import type { Reason } from './registration.js';

/** What the registry knows, at decision time, about the requested IMEIs and the named SIM. */
export interface RegistrationFacts {
  seen: Map<number, { seen: boolean; seenWith: boolean; seenOwned: boolean }>;
  devices: Map<number, { owner: string; stolen: boolean; blocked: boolean }>;
  /** National code holding the MSISDN now (null: unknown or terminated). */
  msisdnOwner: string | null;
}

export interface RecordedRegistration {
  id: string;
  nationalCode: string;
  idempotencyKey: string | null;
  fingerprint: string;
  msisdn: string;
  imeis: string[];
  reasons: unknown[];
  at: Date;
  /** Set for an approval: the device created with it. */
  device: { id: string; cores: number[] } | null;
}

/** A `registrations` row as stored: replayed as the earlier answer. */
export interface StoredRegistrationRow {
  id: string;
  fingerprint: string;
  outcome: 'approved' | 'rejected';
  device_id: string | null;
  imeis: string[];
  msisdn: string;
  reasons: Reason[];
  created_at: string | Date;
}

/**
 * Port of a registration decision's reads and writes (the advisory lock per IMEI, the facts, the record).
 * The abstract class is also the Nest injection token; implementations join the calling use case's
 * ambient transaction.
 */
export abstract class RegistrationRepository {
  /** Serialises requests of one caller with one Idempotency-Key until the transaction ends. */
  abstract lockIdempotencyKey(nationalCode: string, key: string): Promise<void>;
  /** The stored registration of that caller and key, as its row (snake_case columns), or null. */
  abstract findByIdempotencyKey(nationalCode: string, key: string): Promise<StoredRegistrationRow | null>;
  /**
   * Serialises concurrent registrations of the same IMEIs (rows may not exist yet to lock), in
   * IMEI order so two multi-IMEI requests cannot deadlock. Its own statement: the facts must be
   * read by a later statement, whose snapshot sees the winner's commit.
   */
  abstract lockImeis(cores: number[]): Promise<void>;
  /**
   * Sightings before the cut-off (any SIM; this SIM; this SIM while the caller held it), existing
   * devices and the SIM's owner now, in one statement. "While the caller held it": a sighting row
   * is one IMSI's, from its first to its last day; its pre-cut-off part must overlap one of the
   * caller's ownership periods of the number (from valid_from to valid_to or the next row), so a
   * recycled number, or a SIM swapped in after the cut-off, proves nothing (issue 15.4).
   */
  abstract facts(cores: number[], msisdn: string, nationalCode: string, cutoffDate: string): Promise<RegistrationFacts>;
  /** The decision, and for an approval the device, its IMEIs and its first history entry: one statement. */
  abstract record(r: RecordedRegistration): Promise<void>;
}
