import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { EirIndexService } from '../../eir/application/eir-index.service.js';
import { DevicesRepository } from '../persistence/devices.repository.js';
import { DeviceStateChange } from './device-state-change.js';
import { v7 as uuidv7 } from 'uuid';
import { isValidNationalCode } from '@darvazeh/core';
import { DEVICE_TRANSFER_REQUESTED_V1 } from '@darvazeh/contracts';
import { ConflictError, InvalidInputError, RuleViolationError } from '../../shared/domain/hamta.errors.js';
import { toTransferView, type TransferView } from './device-views.js';

@Injectable()
export class StartTransferUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DevicesRepository) d: DevicesRepository, @Inject(EirIndexService) e: EirIndexService) {
    super(tx, o, d, e);
  }

  async execute(input: { deviceId: string; nationalCode: string; toNationalCode: string }): Promise<TransferView> {
    if (!isValidNationalCode(input.toNationalCode)) {
      throw new InvalidInputError('HAMTA.NATIONAL_CODE_INVALID', `"${input.toNationalCode}" is not a valid national code`, {
        errors: [{ field: 'toNationalCode', message: 'must be a 10-digit national code with a valid check digit' }],
      });
    }
    if (input.toNationalCode === input.nationalCode) {
      throw new InvalidInputError('HAMTA.TRANSFER_TO_SELF', 'you cannot transfer a device to yourself', {
        errors: [{ field: 'toNationalCode', message: 'must be someone else' }],
      });
    }
    return this.tx.run(async (m) => {
      const d = await this.ownedDevice(m, input.deviceId, input.nationalCode);
      if (d.stolen || d.blocked) {
        throw new RuleViolationError('HAMTA.TRANSFER_NOT_ALLOWED', 'a stolen or blocked device cannot be transferred', {
          hint: d.stolen ? 'Mark it recovered first.' : 'Ask the registry to lift the block first.',
        });
      }
      if (await this.devices.pendingTransferOf(m, d.id)) {
        throw new ConflictError('HAMTA.TRANSFER_PENDING', 'a transfer of this device is already waiting for acceptance', 'Cancel it first to start another.');
      }
      const id = uuidv7();
      const at = new Date();
      await this.devices.insertTransfer(m, { id, deviceId: d.id, from: input.nationalCode, to: input.toNationalCode, at });
      await this.devices.addHistory(m, {
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
      return toTransferView({ id, deviceId: d.id, fromNationalCode: input.nationalCode, toNationalCode: input.toNationalCode, status: 'pending', createdAt: at, decidedAt: null, imeis: d.imeis });
    });
  }
}
