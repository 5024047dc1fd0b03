import { InMemoryTransactionRunner } from '@darvazeh/testing';
import type { ImeiIndexSource } from '../domain/imei-index.source.js';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexEffects } from './eir-index.effects.js';
import { EirIndexService } from './eir-index.service.js';

const IMEI = '490154203237518';
const CORE = 49015420323751;
const OTHER = '352099001761481';
const OTHER_CORE = 35209900176148;
const settings = new HamtaSettings('2020-12-22', { cutoffDay: 18618, enforcementDay: 99999, graceDays: 30 }, {}, {
  maxNullImeiRatio: 0,
  maxMalformedImeiRatio: 0,
  maxMalformedOtherRatio: 0,
  maxForeignImsiRatio: 0,
}, 31, 1e9);
const DAY_BEFORE_CUTOFF = 18600;


describe('EirIndexEffects: one after-commit effect per event kind', () => {
  const setup = () => {
    const tx = new InMemoryTransactionRunner();
    const index = new EirIndexService({} as ImeiIndexSource, settings);
    return { tx, index, effects: new EirIndexEffects(tx, index) };
  };

  it.each([
    ['device registered', (fx: EirIndexEffects) => fx.deviceRegistered([CORE], new Date(1000)), 'REGISTERED'],
    ['device state changed', (fx: EirIndexEffects) => fx.deviceStateChanged({ cores: [CORE], stolen: true, blocked: false, changedAt: new Date(1000) }), 'REPORTED_STOLEN'],
    ['sighting seen', (fx: EirIndexEffects) => fx.sightingSeen(CORE, DAY_BEFORE_CUTOFF), 'PRE_SCHEME'],
    [
      'sightings batch imported',
      (fx: EirIndexEffects) => fx.sightingsBatchImported({ imeis: Float64Array.of(CORE, OTHER_CORE), days: Int32Array.of(DAY_BEFORE_CUTOFF, DAY_BEFORE_CUTOFF), length: 2 }),
      'PRE_SCHEME',
    ],
  ] as const)('%s: applied only once the transaction commits', async (_kind, emit, reason) => {
    const { tx, index, effects } = setup();
    const before = index.check(IMEI);
    let inside = before;
    await tx.run(async () => {
      emit(effects);
      inside = index.check(IMEI);
    });
    expect(inside).toEqual(before);
    expect(index.check(IMEI).reason).toBe(reason);
  });

  it.each([
    ['device registered', (fx: EirIndexEffects) => fx.deviceRegistered([CORE], new Date(1000))],
    ['device state changed', (fx: EirIndexEffects) => fx.deviceStateChanged({ cores: [CORE], stolen: false, blocked: true, changedAt: new Date(1000) })],
    ['sighting seen', (fx: EirIndexEffects) => fx.sightingSeen(CORE, DAY_BEFORE_CUTOFF)],
    ['sightings batch imported', (fx: EirIndexEffects) => fx.sightingsBatchImported({ imeis: Float64Array.of(CORE), days: Int32Array.of(DAY_BEFORE_CUTOFF), length: 1 })],
  ] as const)('%s: dropped when the transaction rolls back', async (_kind, emit) => {
    const { tx, index, effects } = setup();
    const before = [index.check(IMEI), index.check(OTHER)];
    await expect(
      tx.run(async () => {
        emit(effects);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect([index.check(IMEI), index.check(OTHER)]).toEqual(before);
  });

  it('a blocked and stolen device stays black when only the block is lifted', async () => {
    const { tx, index, effects } = setup();
    await tx.run(async () => effects.deviceStateChanged({ cores: [CORE], stolen: true, blocked: true, changedAt: new Date(1000) }));
    await tx.run(async () => effects.deviceStateChanged({ cores: [CORE], stolen: true, blocked: false, changedAt: new Date(2000) }));
    expect(index.check(IMEI)).toMatchObject({ colour: 'black', reason: 'REPORTED_STOLEN' });
  });
});
