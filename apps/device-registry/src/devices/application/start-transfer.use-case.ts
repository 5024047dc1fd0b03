import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { DeviceRepository } from '../domain/device.repository.js';
import { DeviceStateChange } from './device-state-change.js';
import { v7 as uuidv7 } from 'uuid';
import { DEVICE_TRANSFER_REQUESTED_V1 } from '@darvazeh/contracts';
import { Device } from '../domain/device.js';
import { toTransferView, type TransferView } from './device-views.js';

@Injectable()
export class StartTransferUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DeviceRepository) d: DeviceRepository, @Inject(EirIndexEffects) e: EirIndexEffects) {
    super(tx, o, d, e);
  }

  async execute(input: { deviceId: string; nationalCode: string; toNationalCode: string }): Promise<TransferView> {
    Device.checkTransferRequest(input.nationalCode, input.toNationalCode);
    return this.tx.run(async (m) => {
      const device = await this.ownedDevice(input.deviceId, input.nationalCode);
      const d = device.state;
      const id = uuidv7();
      const at = new Date();
      // The stolen/blocked rule comes before the pending-transfer one (that order is the answer clients see).
      const transfer = device.startTransfer({ id, to: input.toNationalCode, at, pending: d.stolen || d.blocked ? null : await this.devices.pendingTransferOf(d.id) });
      await this.devices.insertTransfer({ id, deviceId: d.id, from: input.nationalCode, to: input.toNationalCode, at });
      await this.devices.addHistory({
        deviceId: d.id,
        at,
        action: 'transfer-requested',
        actor: input.nationalCode,
        visibleTo: [input.nationalCode, input.toNationalCode],
        details: { transferId: id, from: input.nationalCode, to: input.toNationalCode },
      });
      await this.outbox.append(m, [
        {
          type: DEVICE_TRANSFER_REQUESTED_V1,
          subject: d.id,
          data: { deviceId: d.id, transferId: id, fromNationalCode: input.nationalCode, toNationalCode: input.toNationalCode, imeis: d.imeis, requestedAt: at.toISOString() },
        },
      ]);
      return toTransferView(transfer);
    });
  }
}
