import type { EntityManager } from 'typeorm';
import { openTransferOf } from '../domain/device.js';
import type { TransferRow } from '../persistence/devices.repository.js';
import { DeviceStateChange } from './device-state-change.js';

export interface TransferDecisionInput {
  transferId: string;
  nationalCode: string;
}

/** Accept and cancel both start from a pending transfer the caller is a party of. */
export abstract class TransferDecision extends DeviceStateChange {
  protected async pendingTransfer(m: EntityManager, input: TransferDecisionInput): Promise<TransferRow> {
    return openTransferOf(await this.devices.transferById(m, input.transferId, true), input.transferId, input.nationalCode);
  }
}
