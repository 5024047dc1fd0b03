import { dayNumber, parseTimestamp } from './calendar.js';
import { imsiPlmn, parseOperatorPlmns } from './operator-network.js';

describe('IMSI', () => {
  it('returns MCC+MNC of a 15-digit IMSI', () => expect(imsiPlmn('432351234567890')).toBe('43235'));
  it('rejects other lengths', () => expect(imsiPlmn('43235123')).toBeNull());
});

describe('operator PLMNs and days', () => {
  it('takes the operators and PLMNs of the OPERATORS registry, the config replacing the PLMNs of the operators it names', () => {
    expect(parseOperatorPlmns('')).toEqual({ MCI: ['43211'], IRANCELL: ['43235'], RIGHTEL: ['43220'] });
    expect(parseOperatorPlmns('MCI:43211, IRANCELL:43235, IRANCELL:43299')).toEqual({ MCI: ['43211'], IRANCELL: ['43235', '43299'], RIGHTEL: ['43220'] });
  });
  it('refuses an operator code outside the registry', () => expect(() => parseOperatorPlmns('MTN_IRANCELL:43235')).toThrow('unknown operator'));
  it('refuses a bad entry', () => expect(() => parseOperatorPlmns('MCI')).toThrow('MCI'));
  it('rejects impossible dates', () => {
    expect(dayNumber('2024-02-30')).toBeNull();
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2024-2-03')).toBeNull();
  });
  it('reads ownership timestamps: a day at midnight UTC or a date-time with a zone', () => {
    expect(parseTimestamp('2019-01-01')?.toISOString()).toBe('2019-01-01T00:00:00.000Z');
    expect(parseTimestamp('2018-05-01T10:00:00+03:30')?.toISOString()).toBe('2018-05-01T06:30:00.000Z');
    expect(parseTimestamp('2018-05-01T10:00:00')).toBeNull();
    expect(parseTimestamp('2024-02-30T10:00:00Z')).toBeNull();
  });
});
