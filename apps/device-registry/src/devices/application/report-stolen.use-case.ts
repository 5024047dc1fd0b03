import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { DeviceRepository } from '../domain/device.repository.js';
import { DeviceStateChange } from './device-state-change.js';
import { DEVICE_REPORTED_STOLEN_V1 } from '@darvazeh/contracts';
import { toDeviceView, type DeviceView } from './device-views.js';

@Injectable()
export class ReportStolenUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DeviceRepository) d: DeviceRepository, @Inject(EirIndexEffects) e: EirIndexEffects) {
    super(tx, o, d, e);
  }

  async execute(input: { deviceId: string; nationalCode: string }): Promise<DeviceView> {
    const d = await this.tx.run(async (m) => {
      const device = await this.ownedDevice(input.deviceId, input.nationalCode);
      const listed = device.reportStolen();
      const d = device.state;
      const at = new Date();
      await this.devices.update(d.id, { stolen: true });
      if (listed) await this.devices.blacklistChange(d.cores, listed.change, listed.reason, at);
      await this.devices.addHistory({ deviceId: d.id, at, action: 'reported-stolen', actor: input.nationalCode, visibleTo: [input.nationalCode] });
      await this.outbox.append(m, [
        { type: DEVICE_REPORTED_STOLEN_V1, subject: d.id, data: { deviceId: d.id, ownerNationalCode: d.ownerNationalCode, imeis: d.imeis, reportedAt: at.toISOString() } },
      ]);
      const changed = { ...d, changedAt: at };
      this.eirIndex.deviceStateChanged(changed);
      return changed;
    });
    return toDeviceView(d);
  }
}
