/**
 * A file's valid sightings folded into one entry per (IMEI, MSISDN, IMSI): first and last day and
 * the bitmask of the 32 days ending at the last (bit i = seen on last − i), the shape of the
 * `sightings` table. Open addressing over
 * typed arrays: a file of millions of rows folds into ~40 bytes per distinct key, no objects, no
 * garbage per row. Every key part is a number below 2^53 (14-, 12- and 15-digit values), so a
 * Float64Array holds it exactly.
 */
export class SightingAggregate {
  private imei: Float64Array;
  private msisdn: Float64Array;
  private imsi: Float64Array;
  private first: Int32Array;
  private last: Int32Array;
  private days: Int32Array;
  private rat: Uint8Array;
  private mask: number;
  private used = 0;
  /** RAT strings by index (a handful: 2G/3G/4G/5G…). */
  readonly rats: string[] = [''];
  private readonly ratIndex = new Map<string, number>([['', 0]]);

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.mask = cap - 1;
    this.imei = new Float64Array(cap).fill(-1);
    this.msisdn = new Float64Array(cap);
    this.imsi = new Float64Array(cap);
    this.first = new Int32Array(cap);
    this.last = new Int32Array(cap);
    this.days = new Int32Array(cap);
    this.rat = new Uint8Array(cap);
  }

  get size(): number {
    return this.used;
  }

  private static hash(imei: number, msisdn: number, imsi: number): number {
    let h = Math.imul((imei >>> 0) ^ Math.imul((imei / 4294967296) >>> 0, 0x85ebca6b), 0x9e3779b1);
    h = Math.imul(h ^ (msisdn >>> 0), 0xcc9e2d51);
    h = Math.imul(h ^ (imsi >>> 0), 0x1b873593);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h >>> 0;
  }

  private ratId(rat: string): number {
    let id = this.ratIndex.get(rat);
    if (id === undefined) {
      // Unknown RAT values beyond 255 distinct strings are not worth keeping.
      if (this.rats.length >= 255) return 0;
      id = this.rats.length;
      this.rats.push(rat);
      this.ratIndex.set(rat, id);
    }
    return id;
  }

  /** Folds one valid row (`day` since 1970). */
  add(imei: number, msisdn: number, imsi: number, day: number, rat: string): void {
    const keys = this.imei;
    let i = SightingAggregate.hash(imei, msisdn, imsi) & this.mask;
    for (;;) {
      const k = keys[i];
      if (k === -1) break;
      if (k === imei && this.msisdn[i] === msisdn && this.imsi[i] === imsi) {
        const last = this.last[i];
        if (day > last) {
          const shift = day - last;
          this.days[i] = shift >= 32 ? 1 : (this.days[i] << shift) | 1;
          this.last[i] = day;
          this.rat[i] = this.ratId(rat);
        } else if (last - day < 32) {
          this.days[i] |= 1 << (last - day);
        }
        if (day < this.first[i]) this.first[i] = day;
        return;
      }
      i = (i + 1) & this.mask;
    }
    keys[i] = imei;
    this.msisdn[i] = msisdn;
    this.imsi[i] = imsi;
    this.first[i] = day;
    this.last[i] = day;
    this.days[i] = 1;
    this.rat[i] = this.ratId(rat);
    if (++this.used * 10 > (this.mask + 1) * 7) this.grow();
  }

  private grow(): void {
    const old = { imei: this.imei, msisdn: this.msisdn, imsi: this.imsi, first: this.first, last: this.last, days: this.days, rat: this.rat };
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.imei = new Float64Array(cap).fill(-1);
    this.msisdn = new Float64Array(cap);
    this.imsi = new Float64Array(cap);
    this.first = new Int32Array(cap);
    this.last = new Int32Array(cap);
    this.days = new Int32Array(cap);
    this.rat = new Uint8Array(cap);
    for (let j = 0; j < old.imei.length; j++) {
      const k = old.imei[j];
      if (k === -1) continue;
      let i = SightingAggregate.hash(k, old.msisdn[j], old.imsi[j]) & this.mask;
      while (this.imei[i] !== -1) i = (i + 1) & this.mask;
      this.imei[i] = k;
      this.msisdn[i] = old.msisdn[j];
      this.imsi[i] = old.imsi[j];
      this.first[i] = old.first[j];
      this.last[i] = old.last[j];
      this.days[i] = old.days[j];
      this.rat[i] = old.rat[j];
    }
  }

  /**
   * The entries in PostgreSQL's binary COPY format, columns `imei int8, msisdn int8, imsi int8,
   * first_day int4, last_day int4, days int4, rat text`, sorted by IMEI so the merge walks the
   * primary key in order instead of jumping around a table bigger than shared_buffers. Binary:
   * turning millions of 14/15-digit doubles into decimal text was a third of the copy phase.
   */
  *copyBinary(chunkRows = 16_384): Generator<Buffer> {
    const order = this.sortedSlots();
    const ratBytes = this.rats.map((r) => Buffer.from(r, 'utf8'));
    const header = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
    yield header;
    const maxRow = 2 + 3 * 12 + 3 * 8 + 4 + 8;
    let buf = Buffer.allocUnsafe(chunkRows * maxRow);
    let o = 0;
    const int8 = (v: number) => {
      buf.writeInt32BE(8, o);
      buf.writeUInt32BE(Math.floor(v / 4294967296), o + 4);
      buf.writeUInt32BE(v >>> 0, o + 8);
      o += 12;
    };
    const int4 = (v: number) => {
      buf.writeInt32BE(4, o);
      buf.writeInt32BE(v, o + 4);
      o += 8;
    };
    for (let j = 0; j < order.length; j++) {
      const i = order[j];
      buf.writeInt16BE(7, o);
      o += 2;
      int8(this.imei[i]);
      int8(this.msisdn[i]);
      int8(this.imsi[i]);
      int4(this.first[i]);
      int4(this.last[i]);
      int4(this.days[i]);
      const rat = this.rat[i];
      if (rat === 0) {
        buf.writeInt32BE(-1, o);
        o += 4;
      } else {
        const b = ratBytes[rat];
        buf.writeInt32BE(b.length, o);
        b.copy(buf, o + 4);
        o += 4 + b.length;
      }
      if (o > buf.length - maxRow) {
        yield buf.subarray(0, o);
        buf = Buffer.allocUnsafe(chunkRows * maxRow);
        o = 0;
      }
    }
    buf.writeInt16BE(-1, o);
    o += 2;
    yield buf.subarray(0, o);
  }

  /** (IMEI, earliest day) per entry, for the EIR index (it keeps the minimum per IMEI). */
  firstSeen(): { imeis: Float64Array; days: Int32Array; length: number } {
    const imeis = new Float64Array(this.used);
    const days = new Int32Array(this.used);
    let n = 0;
    for (let i = 0; i < this.imei.length; i++) {
      if (this.imei[i] === -1) continue;
      imeis[n] = this.imei[i];
      days[n++] = this.first[i];
    }
    return { imeis, days, length: n };
  }

  /** Occupied slots ordered by IMEI. */
  private sortedSlots(): Uint32Array {
    const slots = new Uint32Array(this.used);
    let n = 0;
    for (let i = 0; i < this.imei.length; i++) if (this.imei[i] !== -1) slots[n++] = i;
    const key = this.imei;
    return slots.sort((a, b) => key[a] - key[b]);
  }
}
