import { SightingAggregate } from './sighting-aggregate.js';

/** Decodes the binary COPY stream back into text fields (what PostgreSQL would read). */
const rows = (a: SightingAggregate) => {
  const b = Buffer.concat([...a.copyBinary(2)]);
  expect(b.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  const out: string[][] = [];
  let o = 19;
  for (let n = b.readInt16BE(o); n !== -1; n = b.readInt16BE(o)) {
    o += 2;
    const row: string[] = [];
    for (let f = 0; f < n; f++) {
      const len = b.readInt32BE(o);
      o += 4;
      if (len === -1) row.push('\\N');
      else if (f < 3) row.push(String(b.readBigInt64BE(o)));
      else if (f < 6) row.push(String(b.readInt32BE(o)));
      else row.push(b.toString('utf8', o, o + len));
      o += Math.max(len, 0);
    }
    out.push(row);
  }
  return out;
};

describe('folding a file into one entry per (IMEI, MSISDN, IMSI)', () => {
  it('keeps exact first/last days and the 32-day mask ending at the last, whatever the row order', () => {
    const a = new SightingAggregate(16);
    for (const day of [105, 100, 110, 105]) a.add(49015420323751, 989121234567, 432111234567890, day, day === 110 ? '5G' : '4G');
    // bits: 110 → 0, 105 → 5, 100 → 10
    expect(rows(a)).toEqual([['49015420323751', '989121234567', '432111234567890', '100', '110', String((1 << 0) | (1 << 5) | (1 << 10)), '5G']]);
  });

  it('drops days more than 31 days before the last from the mask but keeps them as first seen', () => {
    const a = new SightingAggregate(16);
    a.add(1, 989121234567, 432111234567890, 10, '4G');
    a.add(1, 989121234567, 432111234567890, 60, '4G');
    a.add(1, 989121234567, 432111234567890, 20, '4G');
    expect(rows(a)[0].slice(3, 6)).toEqual(['10', '60', '1']);
  });

  it('keeps different SIMs of one IMEI apart and grows past its initial capacity', () => {
    const a = new SightingAggregate(16);
    for (let i = 0; i < 10_000; i++) a.add(35000000000000 + (i % 5000), 989120000000 + Math.floor(i / 5000), 432110000000000, 100, "4G");
    expect(a.size).toBe(10_000);
    expect(a.firstSeen().length).toBe(a.size);
  });
});
