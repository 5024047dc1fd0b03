import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { imeiFromCore } from '@darvazeh/core';
import { TransactionRunner } from '@darvazeh/database';
import type { DeviceState, TransferState } from '../domain/device.js';
import { DeviceRepository, type DeviceHistoryEntry, type NewHistoryEntry } from '../domain/device.repository.js';

const DEVICE_SELECT = `
  SELECT d.id, d.owner_national_code, d.msisdn, d.stolen, d.blocked, d.block_reason, d.registered_at,
         array_agg(di.imei ORDER BY di.slot) AS cores
    FROM devices d JOIN device_imeis di ON di.device_id = d.id`;

function toDevice(r: Record<string, unknown>): DeviceState {
  const cores = (r.cores as string[]).map(Number);
  return {
    id: r.id as string,
    ownerNationalCode: r.owner_national_code as string,
    msisdn: (r.msisdn as string | null) ?? null,
    stolen: r.stolen as boolean,
    blocked: r.blocked as boolean,
    blockReason: (r.block_reason as string | null) ?? null,
    registeredAt: new Date(r.registered_at as string),
    cores,
    imeis: cores.map(imeiFromCore),
  };
}

/** SQL of devices, their IMEIs, history, transfers and the black-list change log. */
@Injectable()
export class TypeOrmDeviceRepository extends DeviceRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async findById(id: string, forUpdate = false): Promise<DeviceState | null> {
    if (forUpdate) await this.m.query('SELECT 1 FROM devices WHERE id = $1 FOR UPDATE', [id]);
    const rows = await this.m.query(`${DEVICE_SELECT} WHERE d.id = $1 GROUP BY d.id`, [id]);
    return rows.length ? toDevice(rows[0]) : null;
  }

  override async listByOwner(owner: string, after: string | null, limit: number): Promise<DeviceState[]> {
    const rows = await this.m.query(
      `${DEVICE_SELECT} WHERE d.owner_national_code = $1 AND ($2::uuid IS NULL OR d.id > $2::uuid)
        GROUP BY d.id ORDER BY d.id LIMIT $3`,
      [owner, after, limit],
    );
    return rows.map(toDevice);
  }

  override async update(id: string, set: { owner?: string; stolen?: boolean; blocked?: boolean; blockReason?: string | null }): Promise<void> {
    await this.m.query(
      `UPDATE devices SET owner_national_code = coalesce($2, owner_national_code),
              msisdn = CASE WHEN $2::text IS NULL OR $2::text = owner_national_code THEN msisdn END,
              stolen = coalesce($3, stolen),
              blocked = coalesce($4, blocked),
              block_reason = CASE WHEN $4::boolean IS NULL THEN block_reason ELSE $5 END,
              updated_at = now()
        WHERE id = $1`,
      [id, set.owner ?? null, set.stolen ?? null, set.blocked ?? null, set.blockReason ?? null],
    );
  }

  override async addHistory(h: NewHistoryEntry): Promise<void> {
    await this.m.query(
      `INSERT INTO device_history (device_id, at, action, actor, visible_to, details) VALUES ($1, $2, $3, $4, $5, $6)`,
      [h.deviceId, h.at, h.action, h.actor, h.visibleTo, JSON.stringify(h.details ?? {})],
    );
  }

  override async canSeeHistory(deviceId: string, nationalCode: string): Promise<boolean> {
    const rows = await this.m.query(`SELECT 1 FROM device_history WHERE device_id = $1 AND $2 = ANY(visible_to) LIMIT 1`, [deviceId, nationalCode]);
    return rows.length > 0;
  }

  override async history(deviceId: string, nationalCode: string, after: number | null, limit: number): Promise<DeviceHistoryEntry[]> {
    const rows = await this.m.query(
      `SELECT id, at, action, actor, details FROM device_history
        WHERE device_id = $1 AND $2 = ANY(visible_to) AND ($3::bigint IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [deviceId, nationalCode, after, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      at: new Date(r.at as string),
      action: r.action as string,
      actor: r.actor as string,
      details: r.details as Record<string, unknown>,
    }));
  }

  override async blacklistChange(cores: number[], change: 'added' | 'removed', reason: string, at: Date): Promise<void> {
    await this.m.query(
      `INSERT INTO blacklist_changes (imei, change, reason, at) SELECT unnest($1::bigint[]), $2, $3, $4`,
      [cores, change, reason, at],
    );
  }

  override async insertTransfer(t: { id: string; deviceId: string; from: string; to: string; at: Date }): Promise<void> {
    await this.m.query(
      `INSERT INTO device_transfers (id, device_id, from_national_code, to_national_code, status, created_at)
       VALUES ($1, $2, $3, $4, 'pending', $5)`,
      [t.id, t.deviceId, t.from, t.to, t.at],
    );
  }

  override async pendingTransferOf(deviceId: string): Promise<TransferState | null> {
    const rows = await this.transfers(`t.device_id = $1 AND t.status = 'pending'`, [deviceId]);
    return rows[0] ?? null;
  }

  override async transferById(id: string, forUpdate = false): Promise<TransferState | null> {
    if (forUpdate) await this.m.query('SELECT 1 FROM device_transfers WHERE id = $1 FOR UPDATE', [id]);
    const rows = await this.transfers('t.id = $1', [id]);
    return rows[0] ?? null;
  }

  override async transfersOf(nationalCode: string, after: string | null, limit: number): Promise<TransferState[]> {
    return this.transfers(
      `(t.from_national_code = $1 OR t.to_national_code = $1) AND ($2::uuid IS NULL OR t.id > $2::uuid)`,
      [nationalCode, after],
      `ORDER BY t.id LIMIT ${Number(limit)}`,
    );
  }

  override async decideTransfer(id: string, status: 'accepted' | 'cancelled', at: Date): Promise<void> {
    await this.m.query(`UPDATE device_transfers SET status = $2, decided_at = $3 WHERE id = $1`, [id, status, at]);
  }

  private async transfers(where: string, params: unknown[], tail = ''): Promise<TransferState[]> {
    const rows = await this.m.query(
      `SELECT t.id, t.device_id, t.from_national_code, t.to_national_code, t.status, t.created_at, t.decided_at,
              (SELECT array_agg(imei ORDER BY slot) FROM device_imeis WHERE device_id = t.device_id) AS cores
         FROM device_transfers t WHERE ${where} ${tail}`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      deviceId: r.device_id as string,
      fromNationalCode: r.from_national_code as string,
      toNationalCode: r.to_national_code as string,
      status: r.status as TransferState['status'],
      createdAt: new Date(r.created_at as string),
      decidedAt: r.decided_at ? new Date(r.decided_at as string) : null,
      imeis: (r.cores as string[]).map((c) => imeiFromCore(Number(c))),
    }));
  }
}
