import { classify, type EirPolicy } from './eir-classifier.js';
import { BLOCKED, ImeiIndex, REGISTERED, STOLEN } from './imei-index.js';

const policy: EirPolicy = { cutoffDay: 1000, enforcementDay: 1100, graceDays: 30 };
const seen = (day: number, flags = 0) => ((day << 8) | flags) >>> 0;

describe('EIR classification', () => {
  it('answers black BLOCKED for an admin-blocked device, even a registered one', () => {
    expect(classify(seen(900, REGISTERED | BLOCKED), 1050, policy)).toEqual({ colour: 'black', reason: 'BLOCKED' });
  });
  it('answers black REPORTED_STOLEN for a stolen device', () => {
    expect(classify(seen(900, REGISTERED | STOLEN), 1050, policy)).toEqual({ colour: 'black', reason: 'REPORTED_STOLEN' });
  });
  it('answers white REGISTERED for a registered device', () => {
    expect(classify(seen(1200, REGISTERED), 1300, policy)).toEqual({ colour: 'white', reason: 'REGISTERED' });
  });
  it('answers white PRE_SCHEME for an unregistered pre-scheme device before enforcement', () => {
    expect(classify(seen(900), 1099, policy)).toEqual({ colour: 'white', reason: 'PRE_SCHEME' });
  });
  it('answers grey UNREGISTERED for an unregistered pre-scheme device after enforcement', () => {
    expect(classify(seen(900), 1100, policy)).toEqual({ colour: 'grey', reason: 'UNREGISTERED' });
  });
  it('answers white IN_GRACE_PERIOD for a device first seen within the grace period', () => {
    expect(classify(seen(1200), 1229, policy)).toEqual({ colour: 'white', reason: 'IN_GRACE_PERIOD' });
  });
  it('answers grey UNREGISTERED once the grace period is over', () => {
    expect(classify(seen(1200), 1230, policy)).toEqual({ colour: 'grey', reason: 'UNREGISTERED' });
  });
  it('gives a never-seen device the grace period (it is being seen now)', () => {
    expect(classify(0, 1500, policy)).toEqual({ colour: 'white', reason: 'IN_GRACE_PERIOD' });
  });
});

describe('IMEI index', () => {
  it('keeps the earliest sighting whatever order sightings arrive in', () => {
    const ix = new ImeiIndex(16);
    ix.noteSeen(49015420323751, 20);
    ix.noteSeen(49015420323751, 10);
    ix.noteSeen(49015420323751, 30);
    expect(ix.firstSeenDay(ix.get(49015420323751))).toBe(10);
  });
  it('keeps flags and first-seen day independent', () => {
    const ix = new ImeiIndex(16);
    ix.setFlags(1, STOLEN);
    ix.noteSeen(1, 5);
    expect(ix.get(1)).toBe(seen(5, STOLEN));
    ix.setFlags(1, 0);
    expect(ix.get(1)).toBe(seen(5));
  });
  it('returns 0 for unknown IMEIs and survives growth with many keys', () => {
    const ix = new ImeiIndex(16);
    for (let i = 0; i < 50_000; i++) ix.noteSeen(35000000000000 + i * 7919, (i % 1000) + 1);
    expect(ix.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(ix.firstSeenDay(ix.get(35000000000000 + i * 7919))).toBe((i % 1000) + 1);
    expect(ix.get(99999999999999)).toBe(0);
  });
});
