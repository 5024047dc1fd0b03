import type { ImeiIndexSource } from '../domain/imei-index.source.js';
import { HamtaSettings } from '../../config/hamta-settings.js';
import { EirIndexService } from './eir-index.service.js';

const IMEI = '490154203237518';
const CORE = 49015420323751;
const settings = new HamtaSettings('2020-12-22', { cutoffDay: 18618, enforcementDay: 99999, graceDays: 30 }, {}, {
  maxNullImeiRatio: 0,
  maxMalformedImeiRatio: 0,
  maxMalformedOtherRatio: 0,
  maxForeignImsiRatio: 0,
}, 31, 1e9);
const fresh = () => new EirIndexService({} as ImeiIndexSource, settings);

describe('EIR index changes from local commits and hamta.devices events', () => {
  it('turns black on a stolen event and white again on recovered', () => {
    const eir = fresh();
    eir.applyDeviceChange([CORE], 'registered', 1000);
    expect(eir.check(IMEI).reason).toBe('REGISTERED');
    eir.applyDeviceChange([CORE], 'stolen', 2000);
    expect(eir.check(IMEI)).toMatchObject({ colour: 'black', reason: 'REPORTED_STOLEN' });
    eir.applyDeviceChange([CORE], 'recovered', 3000);
    expect(eir.check(IMEI)).toMatchObject({ colour: 'white', reason: 'REGISTERED' });
  });

  it('keeps a stolen device black when its block is lifted (each event changes only its own flag)', () => {
    const eir = fresh();
    eir.applyDeviceChange([CORE], 'stolen', 1000);
    eir.applyDeviceChange([CORE], 'blocked', 2000);
    expect(eir.check(IMEI).reason).toBe('BLOCKED');
    eir.applyDeviceChange([CORE], 'unblocked', 3000);
    expect(eir.check(IMEI).reason).toBe('REPORTED_STOLEN');
  });

  it('ignores an event older than a change already applied by a local commit', () => {
    const eir = fresh();
    eir.setDeviceState(CORE, { registered: true, stolen: false, blocked: false }, 5000); // recovered locally at t=5000
    eir.applyDeviceChange([CORE], 'stolen', 4000); // the stolen report's event arrives late
    expect(eir.check(IMEI).reason).toBe('REGISTERED');
  });

  it('re-applies the event of a change this instance already applied without harm', () => {
    const eir = fresh();
    eir.setDeviceState(CORE, { registered: true, stolen: true, blocked: false }, 5000);
    eir.applyDeviceChange([CORE], 'stolen', 5000);
    eir.applyDeviceChange([CORE], 'stolen', 5000);
    expect(eir.check(IMEI).reason).toBe('REPORTED_STOLEN');
  });
});
