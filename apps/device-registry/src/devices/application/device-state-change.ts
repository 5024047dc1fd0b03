import type { TransactionRunner } from '@darvazeh/database';
import type { OutboxWriter } from '@darvazeh/messaging';
import type { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { Device } from '../domain/device.js';
import type { DeviceRepository } from '../domain/device.repository.js';

/** Shared plumbing of the device state changes: load + authorise; the EIR index learns a change through its after-commit effects. */
export abstract class DeviceStateChange {
  constructor(
    protected readonly tx: TransactionRunner,
    protected readonly outbox: OutboxWriter,
    protected readonly devices: DeviceRepository,
    protected readonly eirIndex: EirIndexEffects,
  ) {}

  protected async ownedDevice(deviceId: string, nationalCode: string): Promise<Device> {
    return Device.ownedBy(await this.devices.findById(deviceId, true), deviceId, nationalCode);
  }
}
