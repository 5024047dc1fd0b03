import type { EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../../shared/domain/hamta.errors.js';
import type { TransferRow } from '../persistence/devices.repository.js';
import { DeviceStateChange } from './device-state-change.js';

export interface TransferDecisionInput {
  transferId: string;
  nationalCode: string;
}

/** Accept and cancel both start from a pending transfer the caller is a party of. */
export abstract class TransferDecision extends DeviceStateChange {
  protected async pendingTransfer(m: EntityManager, input: TransferDecisionInput): Promise<TransferRow> {
    const t = await this.devices.transferById(m, input.transferId, true);
    const party = t && (t.toNationalCode === input.nationalCode || t.fromNationalCode === input.nationalCode);
    if (!t || !party) throw new NotFoundError('HAMTA.TRANSFER_NOT_FOUND', `transfer ${input.transferId} is not one of yours`);
    if (t.status !== 'pending') throw new ConflictError('HAMTA.TRANSFER_CLOSED', `this transfer is already ${t.status}`);
    return t;
  }
}
