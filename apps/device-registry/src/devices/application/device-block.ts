import type { EntityManager } from 'typeorm';
import { DEVICE_BLOCKED_V1, DEVICE_UNBLOCKED_V1 } from '@darvazeh/contracts';
import { ConflictError, NotFoundError } from '../../shared/domain/hamta.errors.js';
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
    const d = await this.tx.run(async (m: EntityManager) => {
      const d = await this.devices.findById(m, input.deviceId, true);
      if (!d) throw new NotFoundError('HAMTA.DEVICE_NOT_FOUND', `device ${input.deviceId} does not exist`);
      if (d.blocked === blocked) {
        throw new ConflictError(blocked ? 'HAMTA.ALREADY_BLOCKED' : 'HAMTA.NOT_BLOCKED', blocked ? 'the device is already blocked' : 'the device is not blocked');
      }
      const at = new Date();
      await this.devices.update(m, d.id, { blocked, blockReason: blocked ? input.reason : null });
      if (!d.stolen) await this.devices.blacklistChange(m, d.cores, blocked ? 'added' : 'removed', blocked ? 'BLOCKED' : 'UNBLOCKED', at);
      await this.devices.addHistory(m, {
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
      const changed = { ...d, blocked, blockReason: blocked ? input.reason : null, changedAt: at };
      this.refreshIndexAfterCommit(changed);
      return changed;
    });
    return toDeviceView(d);
  }
}
