import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  DEVICE_BLOCKED_V1,
  DEVICE_RECOVERED_V1,
  DEVICE_REGISTERED_V1,
  DEVICE_REPORTED_STOLEN_V1,
  DEVICE_TRANSFERRED_V1,
  DEVICE_UNBLOCKED_V1,
  SIGHTING_REPORTED_V1,
  TOPICS,
  type SightingReportedV1,
} from '@darvazeh/contracts';
import { MessageBus, type ReceivedEvent, type Subscription } from '@darvazeh/messaging';
import { ServiceLogger } from '@darvazeh/observability';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { parseImei } from '@darvazeh/core';
import { checkSighting } from '../../sightings/domain/sighting.js';
import { EirIndexService, type DeviceChange } from '../application/eir-index.service.js';

/** Event type → the change it makes and the payload field holding when it happened (wire format). */
const DEVICE_CHANGES: Record<string, { change: DeviceChange; at: string }> = {
  [DEVICE_REGISTERED_V1]: { change: 'registered', at: 'registeredAt' },
  [DEVICE_TRANSFERRED_V1]: { change: 'transferred', at: 'transferredAt' },
  [DEVICE_REPORTED_STOLEN_V1]: { change: 'stolen', at: 'reportedAt' },
  [DEVICE_RECOVERED_V1]: { change: 'recovered', at: 'recoveredAt' },
  [DEVICE_BLOCKED_V1]: { change: 'blocked', at: 'blockedAt' },
  [DEVICE_UNBLOCKED_V1]: { change: 'unblocked', at: 'unblockedAt' },
};

export const eirGroupId = (instanceId: string) => `device-registry.eir.${instanceId}`;

/**
 * Keeps this replica's EIR index fresh with changes committed by ANY replica: reads
 * `hamta.devices` (and operators' `hamta.sightings`) in a consumer group of its own, so every
 * replica receives every event. Not the idempotent @EventPattern transport: nothing is written,
 * the index is memory, and re-applying an event is harmless. The group starts at the log end;
 * the past comes from the database, loaded only AFTER the subscription is in place so no change
 * can fall between the two.
 */
@Injectable()
export class EirIndexFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(EirIndexService) private readonly eir: EirIndexService,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
    @Inject(ServiceLogger) private readonly logger: ServiceLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe({
      groupId: eirGroupId(this.settings.instanceId),
      topics: [TOPICS.hamtaDevices, TOPICS.hamtaSightings],
      fromBeginning: false,
      handle: async (event) => this.handle(event),
    });
    await this.eir.reload();
  }

  async onModuleDestroy(): Promise<void> {
    const s = this.subscription;
    this.subscription = undefined;
    await s?.close();
  }

  /** Never rejects: a bad event must not stall the feed (the service's own consumers dead-letter it). */
  handle(event: ReceivedEvent): void {
    try {
      if (event.malformed) return;
      const device = DEVICE_CHANGES[event.type];
      if (device) {
        const data = event.data as Record<string, unknown>;
        const imeis = Array.isArray(data?.imeis) ? data.imeis : [];
        const cores: number[] = [];
        for (const i of imeis) {
          const p = parseImei(typeof i === 'string' ? i : '');
          if (p.ok) cores.push(p.core);
        }
        const at = Date.parse(String(data?.[device.at] ?? event.time));
        if (cores.length === 0 || Number.isNaN(at)) throw new Error(`no IMEIs or time in ${event.type} ${event.id}`);
        this.eir.applyDeviceChange(cores, device.change, at);
      } else if (event.type === SIGHTING_REPORTED_V1) {
        const c = checkSighting(event.data as SightingReportedV1, this.settings.operatorPlmns);
        if (c.ok) this.eir.noteSeen(c.core, c.day);
      }
    } catch (e) {
      this.logger.warn({ msg: 'EIR index skipped an event it cannot read', eventId: event.id, type: event.type, err: (e as Error).message });
    }
  }
}
