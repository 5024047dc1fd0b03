import { dayNumber, imsiPlmn, isValidNationalCode, normalizeMsisdn, parseOperatorPlmns } from './subscriber-ids.js';

describe('MSISDN normalisation', () => {
  it.each(['09121234567', '9121234567', '989121234567', '+989121234567', '00989121234567', '0912 123 4567'])(
    'maps %p to the international form',
    (raw) => expect(normalizeMsisdn(raw)).toBe('989121234567'),
  );
  it.each(['02112345678', '0912123456', '+14155550100', 'abc', ''])('rejects %p', (raw) =>
    expect(normalizeMsisdn(raw)).toBeNull(),
  );
});

describe('IMSI', () => {
  it('returns MCC+MNC of a 15-digit IMSI', () => expect(imsiPlmn('432351234567890')).toBe('43235'));
  it('rejects other lengths', () => expect(imsiPlmn('43235123')).toBeNull());
});

describe('national code', () => {
  it('accepts a code whose check digit matches', () => {
    // 001234567 → Σ = 0·10+0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112, 112 mod 11 = 2 → check 9
    expect(isValidNationalCode('0012345679')).toBe(true);
  });
  it('rejects a wrong check digit', () => expect(isValidNationalCode('0012345678')).toBe(false));
  it('rejects repeated digits', () => expect(isValidNationalCode('1111111111')).toBe(false));
  it('rejects wrong length', () => expect(isValidNationalCode('123')).toBe(false));
});

describe('operator PLMNs and days', () => {
  it('parses the config form', () =>
    expect(parseOperatorPlmns('MCI:43211, IRANCELL:43235')).toEqual({ MCI: ['43211'], IRANCELL: ['43235'] }));
  it('refuses a bad entry', () => expect(() => parseOperatorPlmns('MCI')).toThrow('MCI'));
  it('rejects impossible dates', () => {
    expect(dayNumber('2024-02-30')).toBeNull();
    expect(dayNumber('1970-01-02')).toBe(1);
  });
});
