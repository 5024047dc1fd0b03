import { DEVICE_BLOCKED_V1, DEVICE_UNBLOCKED_V1 } from '@darvazeh/contracts';
import { Device } from '../domain/device.js';
import { DeviceStateChange } from './device-state-change.js';
import { toDeviceView, type DeviceView } from './device-views.js';

export interface BlockInput {
  deviceId: string;
  reason: string;
  adminSubject: string;
}

/** The admin block and unblock share one transaction shape; each use case fixes the direction. */
export abstract class DeviceBlockChange extends DeviceStateChange {
  protected async setBlocked(input: BlockInput, blocked: boolean): Promise<DeviceView> {
    const d = await this.tx.run(async (m) => {
      const device = Device.existing(await this.devices.findById(input.deviceId, true), input.deviceId);
      const listed = blocked ? device.block(input.reason) : device.unblock();
      const d = device.state;
      const at = new Date();
      await this.devices.update(d.id, { blocked, blockReason: d.blockReason });
      if (listed) await this.devices.blacklistChange(d.cores, listed.change, listed.reason, at);
      await this.devices.addHistory({
        deviceId: d.id,
        at,
        action: blocked ? 'blocked' : 'unblocked',
        actor: `admin:${input.adminSubject}`.slice(0, 64),
        visibleTo: [d.ownerNationalCode],
        details: { reason: input.reason },
      });
      await this.outbox.append(m, [
        blocked
          ? { type: DEVICE_BLOCKED_V1, subject: d.id, data: { deviceId: d.id, imeis: d.imeis, reason: input.reason, blockedBy: input.adminSubject, blockedAt: at.toISOString() } }
          : { type: DEVICE_UNBLOCKED_V1, subject: d.id, data: { deviceId: d.id, imeis: d.imeis, reason: input.reason, unblockedBy: input.adminSubject, unblockedAt: at.toISOString() } },
      ]);
      const changed = { ...d, changedAt: at };
      this.eirIndex.deviceStateChanged(changed);
      return changed;
    });
    return toDeviceView(d);
  }
}
