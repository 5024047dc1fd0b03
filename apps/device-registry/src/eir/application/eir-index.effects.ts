import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { EirIndexService } from './eir-index.service.js';

/** (IMEI core, earliest day) pairs of a merged sightings file, as the importer folded them. */
export interface SeenBatch {
  imeis: Float64Array;
  days: Int32Array;
  length: number;
}

/**
 * The EIR index as a projection of this replica's own commits: one method per event kind, each
 * registering its index update with `TransactionRunner.afterCommit`. A use case calls these
 * inside its transaction and never an `EirIndexService` mutator, so the index learns a change
 * only once the transaction that recorded it (a consumer batch's, when the use case was joined
 * into one) has committed, and never when it rolls back.
 */
@Injectable()
export class EirIndexEffects {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(EirIndexService) private readonly index: EirIndexService,
  ) {}

  /** An approved registration: its IMEIs become registered, neither stolen nor blocked. */
  deviceRegistered(cores: readonly number[], registeredAt: Date): void {
    const at = registeredAt.getTime();
    this.tx.afterCommit(() => {
      for (const core of cores) this.index.setDeviceState(core, { registered: true, stolen: false, blocked: false }, at);
    });
  }

  /** A registered device's stolen/blocked flags after a state change (the whole state is known). */
  deviceStateChanged(device: { cores: readonly number[]; stolen: boolean; blocked: boolean; changedAt: Date }): void {
    const state = { registered: true, stolen: device.stolen, blocked: device.blocked };
    const at = device.changedAt.getTime();
    this.tx.afterCommit(() => {
      for (const core of device.cores) this.index.setDeviceState(core, state, at);
    });
  }

  /** One streamed sighting merged. */
  sightingSeen(core: number, day: number): void {
    this.tx.afterCommit(() => this.index.noteSeen(core, day));
  }

  /** A sightings file merged: every folded (IMEI, earliest day) pair. */
  sightingsBatchImported(seen: SeenBatch): void {
    this.tx.afterCommit(() => this.index.noteSeenBatch(seen.imeis, seen.days, seen.length));
  }
}
