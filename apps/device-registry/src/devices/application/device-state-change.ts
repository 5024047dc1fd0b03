import type { TransactionRunner } from '@darvazeh/database';
import type { OutboxWriter } from '@darvazeh/messaging';
import type { EirIndexService } from '../../eir/application/eir-index.service.js';
import { Device, type DeviceState } from '../domain/device.js';
import type { DeviceRepository } from '../domain/device.repository.js';

/** Shared plumbing of the device state changes: load + authorise, then refresh the EIR index after commit. */
export abstract class DeviceStateChange {
  constructor(
    protected readonly tx: TransactionRunner,
    protected readonly outbox: OutboxWriter,
    protected readonly devices: DeviceRepository,
    protected readonly eir: EirIndexService,
  ) {}

  protected async ownedDevice(deviceId: string, nationalCode: string): Promise<Device> {
    return Device.ownedBy(await this.devices.findById(deviceId, true), deviceId, nationalCode);
  }

  /** The device's new EIR state, applied once the transaction has committed (never on rollback). */
  protected refreshIndexAfterCommit(d: DeviceState & { changedAt: Date }): void {
    this.tx.afterCommit(() => {
      for (const c of d.cores) this.eir.setDeviceState(c, { registered: true, stolen: d.stolen, blocked: d.blocked }, d.changedAt.getTime());
    });
  }
}
