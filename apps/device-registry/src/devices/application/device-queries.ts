import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import { isUuid, uuidCursor } from '../../shared/application/list-cursors.js';
import { NotFoundError } from '../../shared/domain/hamta.errors.js';
import { DeviceRepository } from '../domain/device.repository.js';
import { toDeviceView, toTransferView, type DeviceView, type TransferView } from './device-views.js';

export interface HistoryView {
  at: Date;
  action: string;
  actor: string;
  details: Record<string, unknown>;
}

/** Read side of device management: the caller's devices, transfers and each device's history. */
@Injectable()
export class DeviceQueries {
  constructor(
    @Inject(DeviceRepository) private readonly devices: DeviceRepository,
  ) {}

  async myDevices(nationalCode: string, limit: number, cursor?: string): Promise<CursorPage<DeviceView>> {
    const after = uuidCursor(cursor);
    const rows = await this.devices.listByOwner(nationalCode, after, limit + 1);
    return toCursorPage(rows, limit, (r) => ({ id: r.id }), toDeviceView);
  }

  async myDevice(nationalCode: string, deviceId: string): Promise<DeviceView> {
    const d = isUuid(deviceId) ? await this.devices.findById(deviceId) : null;
    if (!d || d.ownerNationalCode !== nationalCode) throw new NotFoundError('HAMTA.DEVICE_NOT_FOUND', `device ${deviceId} is not among your devices`);
    return toDeviceView(d);
  }

  /** Who may read: anyone the device's history was shown to (owners past and present, transfer parties), their part only. */
  async history(nationalCode: string, deviceId: string, limit: number, cursor?: string): Promise<CursorPage<HistoryView>> {
    if (!isUuid(deviceId) || !(await this.devices.canSeeHistory(deviceId, nationalCode))) {
      throw new NotFoundError('HAMTA.DEVICE_NOT_FOUND', `device ${deviceId} is not among your devices`);
    }
    const after = cursor ? Number(decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string' && /^\d+$/.test(v.id)).id) : null;
    const rows = await this.devices.history(deviceId, nationalCode, after, limit + 1);
    return toCursorPage(rows, limit, (r) => ({ id: r.id }), (r) => ({ at: r.at, action: r.action, actor: r.actor, details: r.details }));
  }

  async myTransfers(nationalCode: string, limit: number, cursor?: string): Promise<CursorPage<TransferView>> {
    const after = uuidCursor(cursor);
    const rows = await this.devices.transfersOf(nationalCode, after, limit + 1);
    return toCursorPage(rows, limit, (r) => ({ id: r.id }), toTransferView);
  }
}
