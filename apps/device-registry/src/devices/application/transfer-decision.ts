import { openTransferOf } from '../domain/device.js';
import type { TransferState } from '../domain/device.js';
import { DeviceStateChange } from './device-state-change.js';

export interface TransferDecisionInput {
  transferId: string;
  nationalCode: string;
}

/** Accept and cancel both start from a pending transfer the caller is a party of. */
export abstract class TransferDecision extends DeviceStateChange {
  protected async pendingTransfer(input: TransferDecisionInput): Promise<TransferState> {
    return openTransferOf(await this.devices.transferById(input.transferId, true), input.transferId, input.nationalCode);
  }
}
