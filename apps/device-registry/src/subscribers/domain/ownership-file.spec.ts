import { checkOwnershipRow, evaluateOwnershipFile } from './ownership-file.js';

const now = new Date('2025-06-01T12:00:00Z');
const check = (line: string) => checkOwnershipRow(line.split(','), now);

describe('subscriber-ownership file rows', () => {
  it('normalises the MSISDN and reads a bare date as midnight UTC', () => {
    expect(check('09121234567,0012345679,2020-01-15,')).toEqual({
      ok: true,
      row: { msisdn: '989121234567', nationalCode: '0012345679', validFrom: new Date('2020-01-15T00:00:00Z'), validTo: null },
    });
  });

  it('reads RFC 3339 date-times with an offset, and an empty national code as a terminated line', () => {
    const c = check('+989121234567,,2020-01-15T10:30:00+03:30,2021-01-01T00:00:00Z');
    expect(c).toEqual({ ok: true, row: { msisdn: '989121234567', nationalCode: null, validFrom: new Date('2020-01-15T07:00:00Z'), validTo: new Date('2021-01-01T00:00:00Z') } });
  });

  it.each([
    ['02112345678,0012345679,2020-01-15,', 'malformed_msisdn'],
    ['09121234567,0012345678,2020-01-15,', 'malformed_national_code'],
    ['09121234567,12345,2020-01-15,', 'malformed_national_code'],
    ['09121234567,0012345679,2020-02-30,', 'malformed_valid_from'],
    ['09121234567,0012345679,15/01/2020,', 'malformed_valid_from'],
    ['09121234567,0012345679,2025-06-02,', 'valid_from_future'],
    ['09121234567,0012345679,2020-01-15,2020-01-15', 'malformed_valid_to'],
    ['09121234567,0012345679,2020-01-15,soon', 'malformed_valid_to'],
  ])('fails %p with %p', (line, expected) => {
    expect(check(line)).toMatchObject({ ok: false, check: expected });
  });
});

describe('subscriber-ownership file checks', () => {
  it('passes a file with no bad rows', () => {
    expect(evaluateOwnershipFile(10, new Map(), 0).every((c) => c.passed)).toBe(true);
  });

  it('fails an empty file', () => {
    expect(evaluateOwnershipFile(0, new Map(), 0).find((c) => c.check === 'rows')!.passed).toBe(false);
  });

  it('rejects one malformed row by default and tolerates it under a configured ratio', () => {
    const failed = new Map([['malformed_national_code', 1]]);
    expect(evaluateOwnershipFile(100, failed, 0).find((c) => !c.passed)!.check).toBe('malformed_national_code');
    expect(evaluateOwnershipFile(100, failed, 0.02).every((c) => c.passed)).toBe(true);
  });

  it('never tolerates future dates or conflicting duplicates, whatever the ratio', () => {
    const failed = new Map([['valid_from_future', 1], ['conflicting_duplicates', 2]]);
    expect(evaluateOwnershipFile(1000, failed, 0.5).filter((c) => !c.passed).map((c) => c.check)).toEqual(['valid_from_future', 'conflicting_duplicates']);
  });
});
