import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { DEVICE_TRANSFERRED_V1 } from '@darvazeh/contracts';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { checkAcceptedByReceiver, decideTransfer, deviceForAccept } from '../domain/device.js';
import { DeviceRepository } from '../domain/device.repository.js';
import { toTransferView, type TransferView } from './device-views.js';
import { TransferDecision, type TransferDecisionInput } from './transfer-decision.js';

@Injectable()
export class AcceptTransferUseCase extends TransferDecision {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DeviceRepository) d: DeviceRepository, @Inject(EirIndexEffects) e: EirIndexEffects) {
    super(tx, o, d, e);
  }

  /** The receiver accepts: ownership moves to them. */
  async execute(input: TransferDecisionInput): Promise<TransferView> {
    return this.tx.run(async (m) => {
      const t = await this.pendingTransfer(input);
      const at = new Date();
      const visibleTo = [t.fromNationalCode, t.toNationalCode];
      checkAcceptedByReceiver(t, input.nationalCode);
      const device = deviceForAccept(await this.devices.findById(t.deviceId, true));
      device.acceptTransfer(t);
      const d = device.state;
      await this.devices.decideTransfer(t.id, 'accepted', at);
      await this.devices.update(d.id, { owner: t.toNationalCode });
      await this.devices.addHistory({
        deviceId: d.id,
        at,
        action: 'transferred',
        actor: input.nationalCode,
        visibleTo,
        details: { transferId: t.id, from: t.fromNationalCode, to: t.toNationalCode },
      });
      await this.outbox.append(m, [
        {
          type: DEVICE_TRANSFERRED_V1,
          subject: d.id,
          data: { deviceId: d.id, transferId: t.id, fromNationalCode: t.fromNationalCode, ownerNationalCode: t.toNationalCode, imeis: d.imeis, transferredAt: at.toISOString() },
        },
      ]);
      return toTransferView(decideTransfer(t, 'accepted', at));
    });
  }
}
