import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { DeviceRepository } from '../domain/device.repository.js';
import { decideTransfer } from '../domain/device.js';
import { toTransferView, type TransferView } from './device-views.js';
import { TransferDecision, type TransferDecisionInput } from './transfer-decision.js';

@Injectable()
export class CancelTransferUseCase extends TransferDecision {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DeviceRepository) d: DeviceRepository, @Inject(EirIndexEffects) e: EirIndexEffects) {
    super(tx, o, d, e);
  }

  /** Either party ends a pending transfer: the sender cancels it, the receiver declines it. */
  async execute(input: TransferDecisionInput): Promise<TransferView> {
    return this.tx.run(async () => {
      const t = await this.pendingTransfer(input);
      const at = new Date();
      await this.devices.decideTransfer(t.id, 'cancelled', at);
      await this.devices.addHistory({
        deviceId: t.deviceId,
        at,
        action: 'transfer-cancelled',
        actor: input.nationalCode,
        visibleTo: [t.fromNationalCode, t.toNationalCode],
        details: { transferId: t.id },
      });
      return toTransferView(decideTransfer(t, 'cancelled', at));
    });
  }
}
