import { Inject, Injectable } from '@nestjs/common';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { parseImei } from '@darvazeh/core';
import { todayNumber } from '../../shared/domain/calendar.js';
import { classify, MALFORMED, type EirAnswer } from '../domain/eir-classifier.js';
import { BLOCKED, ImeiIndex, REGISTERED, STOLEN } from '../domain/imei-index.js';
import { ImeiIndexSource } from '../domain/imei-index.source.js';

export interface EirCheckResult extends EirAnswer {
  imei: string;
}

/** A device state change as `hamta.devices` events (or a local commit) describe it. */
export type DeviceChange = 'registered' | 'transferred' | 'stolen' | 'recovered' | 'blocked' | 'unblocked';

/** How many IMEIs remember the time of their last applied change (see `lastChange`). */
const MAX_REMEMBERED_CHANGES = 200_000;

/**
 * The EIR hot path: every IMEI the registry knows (first sighting + device flags) in a typed-array
 * index loaded at start with COPY (no row objects), so a check is a hash probe — no query, no ORM.
 *
 * Kept fresh two ways: this instance's own commits are applied right after they commit, and every
 * instance reads `hamta.devices` (EirIndexFeed) so a change committed by another replica reaches
 * it too. Both paths may deliver the same change, and a local commit may be applied before an older
 * change's event arrives: each IMEI remembers the time of its last applied change and an older
 * change is ignored (replays of the same change are harmless: the flags are set, not toggled).
 */
@Injectable()
export class EirIndexService {
  private index = new ImeiIndex(1 << 16);
  private loaded = false;
  private today = 0;
  private todayUntil = 0;
  /** IMEI core → time (ms) of the newest change applied to it since start. */
  private readonly lastChange = new Map<number, number>();
  /** Changes applied while a reload is building the next index: replayed into it before the swap. */
  private pending: (() => void)[] | null = null;

  constructor(
    @Inject(ImeiIndexSource) private readonly source: ImeiIndexSource,
    @Inject(HamtaSettings) private readonly settings: HamtaSettings,
  ) {}

  get size(): number {
    return this.index.size;
  }

  async ensureLoaded(): Promise<void> {
    if (!this.loaded) await this.reload();
  }

  /** Rebuilds the index from the database (start-up, or a test that wrote directly). */
  async reload(): Promise<void> {
    const next = new ImeiIndex(1 << 16);
    this.pending = [];
    await this.source.load(
      (imei, day) => next.noteSeen(imei, day),
      (imei, flags) => next.setFlags(imei, flags),
    ).catch((e: unknown) => {
      this.pending = null;
      throw e;
    });
    this.index = next;
    for (const change of this.pending ?? []) change();
    this.pending = null;
    this.loaded = true;
  }

  private currentDay(): number {
    const now = Date.now();
    if (now >= this.todayUntil) {
      this.today = todayNumber(new Date(now));
      this.todayUntil = (this.today + 1) * 86_400_000;
    }
    return this.today;
  }

  check(rawImei: string): EirCheckResult {
    const p = parseImei(rawImei);
    if (!p.ok) return { imei: rawImei, ...MALFORMED };
    return { imei: p.imei, ...classify(this.index.get(p.core), this.currentDay(), this.settings.policy) };
  }

  /** Runs a change now, and again on the next index if a reload is building it. */
  private apply(change: () => void): void {
    change();
    this.pending?.push(change);
  }

  /** Called after a commit that recorded sightings (or a sighting event from the stream). */
  noteSeen(core: number, day: number): void {
    this.apply(() => this.index.noteSeen(core, day));
  }

  noteSeenBatch(imeis: Float64Array, days: Int32Array, length: number): void {
    this.apply(() => {
      for (let i = 0; i < length; i++) this.index.noteSeen(imeis[i], days[i]);
    });
  }

  /** False when a newer change of this IMEI was applied already; else records `atMs` as its newest. */
  private isNewest(core: number, atMs: number): boolean {
    const last = this.lastChange.get(core);
    if (last !== undefined && atMs < last) return false;
    if (last === undefined && this.lastChange.size >= MAX_REMEMBERED_CHANGES) {
      // Events trail commits by seconds; forgetting the oldest half only matters for a change
      // whose event is that far behind, and that event would re-apply a state already overtaken.
      let drop = this.lastChange.size >> 1;
      for (const k of this.lastChange.keys()) {
        if (drop-- <= 0) break;
        this.lastChange.delete(k);
      }
    }
    this.lastChange.delete(core);
    this.lastChange.set(core, atMs);
    return true;
  }

  /** Called after a local commit that changed a device's state: the whole state is known. */
  setDeviceState(core: number, state: { registered: boolean; stolen: boolean; blocked: boolean }, atMs: number): void {
    if (!this.isNewest(core, atMs)) return;
    const flags = (state.registered ? REGISTERED : 0) | (state.stolen ? STOLEN : 0) | (state.blocked ? BLOCKED : 0);
    this.apply(() => this.index.setFlags(core, flags));
  }

  /**
   * Applies one `hamta.devices` change (from any instance). Events carry what changed, not the
   * whole state, so each sets or clears only its own flag: a stolen device that is also blocked
   * stays black after `unblocked`.
   */
  applyDeviceChange(cores: number[], change: DeviceChange, atMs: number): void {
    for (const core of cores) {
      if (!this.isNewest(core, atMs)) continue;
      this.apply(() => {
        const flags = this.index.get(core) & 0xff;
        let next = flags | REGISTERED;
        if (change === 'registered') next = REGISTERED;
        else if (change === 'stolen') next |= STOLEN;
        else if (change === 'recovered') next &= ~STOLEN;
        else if (change === 'blocked') next |= BLOCKED;
        else if (change === 'unblocked') next &= ~BLOCKED;
        this.index.setFlags(core, next);
      });
    }
  }
}
