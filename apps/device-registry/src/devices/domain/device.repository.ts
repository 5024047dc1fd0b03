import type { DeviceState, TransferState } from './device.js';

export interface DeviceHistoryEntry {
  id: string;
  at: Date;
  action: string;
  actor: string;
  details: Record<string, unknown>;
}

export interface NewHistoryEntry {
  deviceId: string;
  at: Date;
  action: string;
  actor: string;
  /** National codes that may read this entry (owners past and present, transfer parties). */
  visibleTo: string[];
  details?: Record<string, unknown>;
}

/**
 * Port of devices, their history, transfers and the black-list change log. The abstract class is
 * also the Nest injection token. Implementations join the calling use case's ambient transaction.
 */
export abstract class DeviceRepository {
  /** `forUpdate` locks the device row until the transaction ends. */
  abstract findById(id: string, forUpdate?: boolean): Promise<DeviceState | null>;
  abstract listByOwner(owner: string, after: string | null, limit: number): Promise<DeviceState[]>;
  /** A new owner drops the registrant's MSISDN; `blockReason` is written only together with `blocked`. */
  abstract update(id: string, set: { owner?: string; stolen?: boolean; blocked?: boolean; blockReason?: string | null }): Promise<void>;
  abstract addHistory(entry: NewHistoryEntry): Promise<void>;
  abstract canSeeHistory(deviceId: string, nationalCode: string): Promise<boolean>;
  abstract history(deviceId: string, nationalCode: string, after: number | null, limit: number): Promise<DeviceHistoryEntry[]>;
  abstract blacklistChange(cores: number[], change: 'added' | 'removed', reason: string, at: Date): Promise<void>;
  abstract insertTransfer(t: { id: string; deviceId: string; from: string; to: string; at: Date }): Promise<void>;
  abstract pendingTransferOf(deviceId: string): Promise<TransferState | null>;
  /** `forUpdate` locks the transfer row until the transaction ends. */
  abstract transferById(id: string, forUpdate?: boolean): Promise<TransferState | null>;
  abstract transfersOf(nationalCode: string, after: string | null, limit: number): Promise<TransferState[]>;
  abstract decideTransfer(id: string, status: 'accepted' | 'cancelled', at: Date): Promise<void>;
}
