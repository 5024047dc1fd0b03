import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { EirIndexEffects } from '../../eir/application/eir-index.effects.js';
import { DeviceRepository } from '../domain/device.repository.js';
import { DeviceBlockChange, type BlockInput } from './device-block.js';
import type { DeviceView } from './device-views.js';

@Injectable()
export class BlockDeviceUseCase extends DeviceBlockChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DeviceRepository) d: DeviceRepository, @Inject(EirIndexEffects) e: EirIndexEffects) {
    super(tx, o, d, e);
  }

  /** The regulator's block; the reason is kept in history and on the event. */
  execute(input: BlockInput): Promise<DeviceView> {
    return this.setBlocked(input, true);
  }
}
