import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import {
  DEVICE_BLOCKED_V1,
  DEVICE_RECOVERED_V1,
  DEVICE_REPORTED_STOLEN_V1,
  DEVICE_TRANSFER_REQUESTED_V1,
  DEVICE_TRANSFERRED_V1,
  DEVICE_UNBLOCKED_V1,
} from '@darvazeh/contracts';
import { EirIndexService } from '../../eir/application/eir-index.service.js';
import { ConflictError, InvalidInputError, NotFoundError, RuleViolationError } from '../../shared/domain/hamta.errors.js';
import { isValidNationalCode } from '@darvazeh/core';
import { DevicesRepository, type DeviceRow, type TransferRow } from '../persistence/devices.repository.js';

const notFound = (id: string) =>
  new NotFoundError('HAMTA.DEVICE_NOT_FOUND', `device ${id} is not among your devices`, 'List your devices with GET /devices.');

/** Shared plumbing of the device state changes: load + authorise, then refresh the EIR index after commit. */
abstract class DeviceStateChange {
  constructor(
    protected readonly tx: TransactionRunner,
    protected readonly outbox: OutboxWriter,
    protected readonly devices: DevicesRepository,
    protected readonly eir: EirIndexService,
  ) {}

  protected async ownedDevice(m: EntityManager, deviceId: string, nationalCode: string): Promise<DeviceRow> {
    const d = await this.devices.findById(m, deviceId, true);
    // Someone else's device answers like a missing one: existence is not disclosed.
    if (!d || d.ownerNationalCode !== nationalCode) throw notFound(deviceId);
    return d;
  }

  /** The device's new EIR state, applied once the transaction has committed (never on rollback). */
  protected refreshIndexAfterCommit(d: DeviceRow & { changedAt: Date }): void {
    this.tx.afterCommit(() => {
      for (const c of d.cores) this.eir.setDeviceState(c, { registered: true, stolen: d.stolen, blocked: d.blocked }, d.changedAt.getTime());
    });
  }
}

export interface DeviceView {
  deviceId: string;
  ownerNationalCode: string;
  imeis: string[];
  /** The SIM named at registration, shown to the registrant only (null after a transfer). */
  msisdn: string | null;
  status: 'active' | 'stolen' | 'blocked';
  blockReason: string | null;
  registeredAt: Date;
}

export function toDeviceView(d: DeviceRow): DeviceView {
  return {
    deviceId: d.id,
    ownerNationalCode: d.ownerNationalCode,
    imeis: d.imeis,
    msisdn: d.msisdn,
    status: d.blocked ? 'blocked' : d.stolen ? 'stolen' : 'active',
    blockReason: d.blockReason,
    registeredAt: d.registeredAt,
  };
}

@Injectable()
export class ReportStolenUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DevicesRepository) d: DevicesRepository, @Inject(EirIndexService) e: EirIndexService) {
    super(tx, o, d, e);
  }

  async execute(input: { deviceId: string; nationalCode: string }): Promise<DeviceView> {
    const d = await this.tx.run(async (m) => {
      const d = await this.ownedDevice(m, input.deviceId, input.nationalCode);
      if (d.stolen) throw new ConflictError('HAMTA.ALREADY_REPORTED_STOLEN', 'this device is already reported lost/stolen', 'Mark it recovered when you have it back.');
      const at = new Date();
      await this.devices.update(m, d.id, { stolen: true });
      if (!d.blocked) await this.devices.blacklistChange(m, d.cores, 'added', 'REPORTED_STOLEN', at);
      await this.devices.addHistory(m, { deviceId: d.id, at, action: 'reported-stolen', actor: input.nationalCode, visibleTo: [input.nationalCode] });
      await this.outbox.append(m, [
        { type: DEVICE_REPORTED_STOLEN_V1, subject: d.id, data: { deviceId: d.id, ownerNationalCode: d.ownerNationalCode, imeis: d.imeis, reportedAt: at.toISOString() } },
      ]);
      const changed = { ...d, stolen: true, changedAt: at };
      this.refreshIndexAfterCommit(changed);
      return changed;
    });
    return toDeviceView(d);
  }
}

@Injectable()
export class RecoverDeviceUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DevicesRepository) d: DevicesRepository, @Inject(EirIndexService) e: EirIndexService) {
    super(tx, o, d, e);
  }

  async execute(input: { deviceId: string; nationalCode: string }): Promise<DeviceView> {
    const d = await this.tx.run(async (m) => {
      const d = await this.ownedDevice(m, input.deviceId, input.nationalCode);
      if (!d.stolen) throw new ConflictError('HAMTA.NOT_REPORTED_STOLEN', 'this device is not reported lost/stolen');
      const at = new Date();
      await this.devices.update(m, d.id, { stolen: false });
      if (!d.blocked) await this.devices.blacklistChange(m, d.cores, 'removed', 'RECOVERED', at);
      await this.devices.addHistory(m, { deviceId: d.id, at, action: 'recovered', actor: input.nationalCode, visibleTo: [input.nationalCode] });
      await this.outbox.append(m, [
        { type: DEVICE_RECOVERED_V1, subject: d.id, data: { deviceId: d.id, ownerNationalCode: d.ownerNationalCode, imeis: d.imeis, recoveredAt: at.toISOString() } },
      ]);
      const changed = { ...d, stolen: false, changedAt: at };
      this.refreshIndexAfterCommit(changed);
      return changed;
    });
    return toDeviceView(d);
  }
}

@Injectable()
export class SetDeviceBlockUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DevicesRepository) d: DevicesRepository, @Inject(EirIndexService) e: EirIndexService) {
    super(tx, o, d, e);
  }

  /** Admin block (`blocked: true`) or unblock; the reason is kept in history and on the event. */
  async execute(input: { deviceId: string; blocked: boolean; reason: string; adminSubject: string }): Promise<DeviceView> {
    const d = await this.tx.run(async (m) => {
      const d = await this.devices.findById(m, input.deviceId, true);
      if (!d) throw new NotFoundError('HAMTA.DEVICE_NOT_FOUND', `device ${input.deviceId} does not exist`);
      if (d.blocked === input.blocked) {
        throw new ConflictError(input.blocked ? 'HAMTA.ALREADY_BLOCKED' : 'HAMTA.NOT_BLOCKED', input.blocked ? 'the device is already blocked' : 'the device is not blocked');
      }
      const at = new Date();
      await this.devices.update(m, d.id, { blocked: input.blocked, blockReason: input.blocked ? input.reason : null });
      if (!d.stolen) await this.devices.blacklistChange(m, d.cores, input.blocked ? 'added' : 'removed', input.blocked ? 'BLOCKED' : 'UNBLOCKED', at);
      await this.devices.addHistory(m, {
        deviceId: d.id,
        at,
        action: input.blocked ? 'blocked' : 'unblocked',
        actor: `admin:${input.adminSubject}`.slice(0, 64),
        visibleTo: [d.ownerNationalCode],
        details: { reason: input.reason },
      });
      await this.outbox.append(m, [
        input.blocked
          ? { type: DEVICE_BLOCKED_V1, subject: d.id, data: { deviceId: d.id, imeis: d.imeis, reason: input.reason, blockedBy: input.adminSubject, blockedAt: at.toISOString() } }
          : { type: DEVICE_UNBLOCKED_V1, subject: d.id, data: { deviceId: d.id, imeis: d.imeis, reason: input.reason, unblockedBy: input.adminSubject, unblockedAt: at.toISOString() } },
      ]);
      const changed = { ...d, blocked: input.blocked, blockReason: input.blocked ? input.reason : null, changedAt: at };
      this.refreshIndexAfterCommit(changed);
      return changed;
    });
    return toDeviceView(d);
  }
}

export interface TransferView {
  transferId: string;
  deviceId: string;
  fromNationalCode: string;
  toNationalCode: string;
  status: TransferRow['status'];
  imeis: string[];
  createdAt: Date;
  decidedAt: Date | null;
}

export const toTransferView = (t: TransferRow): TransferView => ({
  transferId: t.id,
  deviceId: t.deviceId,
  fromNationalCode: t.fromNationalCode,
  toNationalCode: t.toNationalCode,
  status: t.status,
  imeis: t.imeis,
  createdAt: t.createdAt,
  decidedAt: t.decidedAt,
});

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

@Injectable()
export class DecideTransferUseCase extends DeviceStateChange {
  constructor(@Inject(TransactionRunner) tx: TransactionRunner, @Inject(OutboxWriter) o: OutboxWriter, @Inject(DevicesRepository) d: DevicesRepository, @Inject(EirIndexService) e: EirIndexService) {
    super(tx, o, d, e);
  }

  /** `accept` by the receiver moves ownership; `cancel` by the sender (or decline by the receiver) ends it. */
  async execute(input: { transferId: string; nationalCode: string; action: 'accept' | 'cancel' }): Promise<TransferView> {
    return this.tx.run(async (m) => {
      const t = await this.devices.transferById(m, input.transferId, true);
      const party = t && (t.toNationalCode === input.nationalCode || t.fromNationalCode === input.nationalCode);
      if (!t || !party) throw new NotFoundError('HAMTA.TRANSFER_NOT_FOUND', `transfer ${input.transferId} is not one of yours`);
      if (t.status !== 'pending') throw new ConflictError('HAMTA.TRANSFER_CLOSED', `this transfer is already ${t.status}`);
      const at = new Date();
      const visibleTo = [t.fromNationalCode, t.toNationalCode];
      if (input.action === 'cancel') {
        await this.devices.decideTransfer(m, t.id, 'cancelled', at);
        await this.devices.addHistory(m, { deviceId: t.deviceId, at, action: 'transfer-cancelled', actor: input.nationalCode, visibleTo, details: { transferId: t.id } });
        return toTransferView({ ...t, status: 'cancelled', decidedAt: at });
      }
      if (t.toNationalCode !== input.nationalCode) {
        throw new RuleViolationError('HAMTA.TRANSFER_NOT_RECEIVER', 'only the receiver can accept a transfer');
      }
      const d = await this.devices.findById(m, t.deviceId, true);
      if (!d || d.ownerNationalCode !== t.fromNationalCode || d.stolen || d.blocked) {
        throw new RuleViolationError('HAMTA.TRANSFER_NOT_ALLOWED', 'the device can no longer be transferred (owner changed, stolen or blocked)');
      }
      await this.devices.decideTransfer(m, t.id, 'accepted', at);
      await this.devices.update(m, d.id, { owner: t.toNationalCode });
      await this.devices.addHistory(m, {
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
      return toTransferView({ ...t, status: 'accepted', decidedAt: at });
    });
  }
}
