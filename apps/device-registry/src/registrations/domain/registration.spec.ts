import { REASON } from '../../shared/domain/hamta.errors.js';
import { decideRegistration, parseRequestedImeis, type DecisionInput, type ImeiFacts } from './registration.js';

const ME = '0012345679';
const OTHER = '0084575948';
const MSISDN = '989121234567';

function facts(over: Partial<ImeiFacts> = {}): ImeiFacts {
  return {
    core: 49015420323751,
    imei: '490154203237518',
    seenBeforeCutoff: true,
    seenBeforeCutoffWithMsisdn: true,
    registeredTo: null,
    stolen: false,
    blocked: false,
    ...over,
    seenBeforeCutoffWithMsisdnOwned: over.seenBeforeCutoffWithMsisdnOwned ?? over.seenBeforeCutoffWithMsisdn ?? true,
  };
}
function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return { nationalCode: ME, msisdn: MSISDN, msisdnOwner: ME, imeis: [facts()], cutoffDate: '2020-12-22', ...over };
}
const codes = (d: ReturnType<typeof decideRegistration>) => d.reasons.map((r) => r.code);

describe('registration decision', () => {
  it('approves a device seen before the cut-off with the caller’s own SIM', () => {
    expect(decideRegistration(input())).toEqual({ outcome: 'approved', reasons: [] });
  });

  it('rejects HAMTA.NOT_SEEN_BEFORE_CUTOFF when no operator saw the IMEI before the cut-off', () => {
    const d = decideRegistration(input({ imeis: [facts({ seenBeforeCutoff: false, seenBeforeCutoffWithMsisdn: false })] }));
    expect(d.outcome).toBe('rejected');
    expect(codes(d)).toEqual([REASON.NOT_SEEN_BEFORE_CUTOFF]);
    expect(d.reasons[0].hint).toMatch(/customs/);
  });

  it('rejects HAMTA.SIM_MISMATCH when the device was seen before the cut-off but only with other SIMs', () => {
    const d = decideRegistration(input({ imeis: [facts({ seenBeforeCutoffWithMsisdn: false })] }));
    expect(codes(d)).toEqual([REASON.SIM_MISMATCH]);
  });

  it('rejects HAMTA.MSISDN_NOT_OWNED when the SIM belongs to someone else', () => {
    expect(codes(decideRegistration(input({ msisdnOwner: OTHER })))).toEqual([REASON.MSISDN_NOT_OWNED]);
  });

  it('rejects HAMTA.MSISDN_NOT_OWNED when no operator reported who owns the SIM', () => {
    expect(codes(decideRegistration(input({ msisdnOwner: null })))).toEqual([REASON.MSISDN_NOT_OWNED]);
  });

  it('rejects HAMTA.ALREADY_REGISTERED when another person owns the device, hinting at a transfer', () => {
    const d = decideRegistration(input({ imeis: [facts({ registeredTo: OTHER })] }));
    expect(codes(d)).toEqual([REASON.ALREADY_REGISTERED]);
    expect(d.reasons[0].hint).toMatch(/transfer/);
  });

  it('rejects HAMTA.ALREADY_REGISTERED telling the caller it is already theirs', () => {
    const d = decideRegistration(input({ imeis: [facts({ registeredTo: ME })] }));
    expect(d.reasons[0].message).toMatch(/already registered to you/);
  });

  it('rejects HAMTA.REPORTED_STOLEN for a device reported stolen', () => {
    expect(codes(decideRegistration(input({ imeis: [facts({ stolen: true })] })))).toEqual([REASON.REPORTED_STOLEN]);
  });

  it('rejects HAMTA.DEVICE_BLOCKED for a device blocked by an admin', () => {
    expect(codes(decideRegistration(input({ imeis: [facts({ blocked: true })] })))).toEqual([REASON.DEVICE_BLOCKED]);
  });

  it('reports every failing rule at once', () => {
    const d = decideRegistration(
      input({ msisdnOwner: OTHER, imeis: [facts({ stolen: true, registeredTo: OTHER, seenBeforeCutoffWithMsisdn: false })] }),
    );
    expect(codes(d)).toEqual([REASON.REPORTED_STOLEN, REASON.ALREADY_REGISTERED, REASON.MSISDN_NOT_OWNED, REASON.SIM_MISMATCH]);
  });

  it('rejects HAMTA.MSISDN_NOT_OWNED_WHEN_SEEN for a recycled number: seen with it before the cut-off while someone else held it', () => {
    const d = decideRegistration(input({ imeis: [facts({ seenBeforeCutoffWithMsisdnOwned: false })] }));
    expect(codes(d)).toEqual([REASON.MSISDN_NOT_OWNED_WHEN_SEEN]);
    expect(d.reasons[0].message).toContain('09121234567');
    expect(d.reasons[0].message).toContain('2020-12-22');
  });

  it('writes the mobile number as people do (09…) and states the cut-off date', () => {
    const d = decideRegistration(input({ msisdnOwner: OTHER, imeis: [facts({ seenBeforeCutoff: false, seenBeforeCutoffWithMsisdn: false })] }));
    expect(d.reasons.map((r) => r.message)).toEqual([
      'mobile number 09121234567 is not registered to your national code',
      "IMEI 490154203237518 was not seen on any operator's network before the scheme's cut-off date (2020-12-22)",
    ]);
  });

  describe('dual-SIM', () => {
    const second = facts({ core: 35209900176148, imei: '352099001761481', seenBeforeCutoffWithMsisdn: false });

    it('approves when one slot saw the SIM and the other was on the network before the cut-off', () => {
      expect(decideRegistration(input({ imeis: [facts(), second] })).outcome).toBe('approved');
    });

    it('rejects naming the second IMEI when it was never seen before the cut-off', () => {
      const d = decideRegistration(input({ imeis: [facts(), { ...second, seenBeforeCutoff: false }] }));
      expect(codes(d)).toEqual([REASON.NOT_SEEN_BEFORE_CUTOFF]);
      expect(d.reasons[0].imei).toBe('352099001761481');
    });

    it('approves when the second slot was never used before the cut-off, its IMEI sharing the TAC of the first', () => {
      const sameTac = facts({ core: 49015420323769, imei: '490154203237690', seenBeforeCutoff: false, seenBeforeCutoffWithMsisdn: false });
      expect(decideRegistration(input({ imeis: [facts(), sameTac] }))).toEqual({ outcome: 'approved', reasons: [] });
    });

    it('does not send the owner of a dual-SIM device to customs when only its second IMEI is unknown', () => {
      const d = decideRegistration(input({ imeis: [facts(), { ...second, seenBeforeCutoff: false }] }));
      expect(d.reasons[0].hint).not.toMatch(/customs/);
      expect(d.reasons[0].hint).toMatch(/same 8 digits/);
    });

    it('rejects HAMTA.SIM_MISMATCH when neither slot saw the SIM', () => {
      const d = decideRegistration(input({ imeis: [facts({ seenBeforeCutoffWithMsisdn: false }), second] }));
      expect(codes(d)).toEqual([REASON.SIM_MISMATCH]);
    });
  });
});

describe('requested IMEIs', () => {
  it.each(['000000000000000', '-490154203237518'])('rejects %p as HAMTA.IMEI_INVALID', (raw) => {
    expect(parseRequestedImeis([raw]).invalid.map((r) => r.code)).toEqual([REASON.IMEI_INVALID]);
  });
  it('rejects HAMTA.IMEI_INVALID for a malformed IMEI', () => {
    expect(parseRequestedImeis(['12345']).invalid.map((r) => r.code)).toEqual([REASON.IMEI_INVALID]);
  });
  it('rejects HAMTA.IMEI_CHECK_DIGIT for a wrong check digit', () => {
    expect(parseRequestedImeis(['490154203237517']).invalid.map((r) => r.code)).toEqual([REASON.IMEI_CHECK_DIGIT]);
  });
  it('rejects HAMTA.DUPLICATE_IMEI when the same IMEI is given twice in two forms', () => {
    const p = parseRequestedImeis(['490154203237518', '49015420323751']);
    expect(p.valid).toHaveLength(1);
    expect(p.invalid.map((r) => r.code)).toEqual([REASON.DUPLICATE_IMEI]);
  });
  it('normalises 14 and 16-digit forms', () => {
    expect(parseRequestedImeis(['49015420323751', '3520990017614823']).valid.map((v) => v.imei)).toEqual([
      '490154203237518',
      '352099001761481',
    ]);
  });
});
